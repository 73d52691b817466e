from django.core.management.base import BaseCommand

from helpdesk.personal_data import retention


class Command(BaseCommand):
    help = (
        "Remove the personal data whose retention period is over (the worker does it daily). "
        "With --dry-run, list what would be removed, by kind and count, and remove nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due; remove nothing.")

    def handle(self, *args, dry_run: bool, **options):
        ids_by_kind = retention.due() if dry_run else retention.enforce()
        verb = "would remove" if dry_run else "removed"
        for rule in retention.RULES:
            ids = ids_by_kind[rule.kind]
            period = rule.period().days
            self.stdout.write(f"{rule.kind}: {verb} {len(ids)} ({rule.label}, after {period} days)")
            if options["verbosity"] > 1 and ids:
                self.stdout.write("  ids: " + " ".join(str(pk) for pk in ids))
