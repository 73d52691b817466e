"""Demo data for a lively local run: staff logins now, tickets and incidents as they arrive."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devtools import demo
from helpdesk.models import StaffProfile
from helpdesk.roles import AGENTS, MANAGERS, sync_role_permissions

# Fixed so a demo can be repeated from the README; seed_demo refuses to run with DEBUG off.
# Two managers: a public update, a theme answer and a large compensation need a second person.
DEMO_STAFF = [
    # role, username, password, first name, last name, groups, language
    ("agent", "agent", "agent-demo-pass", "Anna", "Kovács", [AGENTS], "hu"),
    ("manager", "manager", "manager-demo-pass", "Marek", "Nowak", [AGENTS, MANAGERS], "pl"),
    ("manager", "manager2", "manager2-demo-pass", "Katalin", "Szabó", [AGENTS, MANAGERS], "en"),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo logins and demo data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (known passwords: never on a real site).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates logins with published passwords; it runs only with DEBUG on "
                "(or with --allow-production on a throwaway site)."
            )
        with transaction.atomic():
            sync_role_permissions(Group, Permission)
            staff = {}
            for _role, username, password, first, last, groups, language in DEMO_STAFF:
                staff[username] = self._seed_staff(username, password, first, last, groups, language)
            # The first manager runs the demo queues; the second oversees them all and reviews.
            counts = demo.seed(agent=staff["agent"], manager=staff["manager"])
        self.stdout.write(f"demo tickets: {counts['tickets']} new, {counts['total']} in all")
        for role, username, password, *_rest in DEMO_STAFF:
            self.stdout.write(f"login {role} {username} {password}")

    def _seed_staff(self, username, password, first, last, groups, language):
        user, _created = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@helpdesk.example",
                # Managers configure the service in the admin; agents work in the app only.
                "is_staff": MANAGERS in groups,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=groups))
        StaffProfile.objects.update_or_create(user=user, defaults={"language": language})
        return user
