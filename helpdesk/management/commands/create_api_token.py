from django.core.management.base import BaseCommand, CommandError

from helpdesk.models import ApiIntegration


class Command(BaseCommand):
    help = (
        "Create an API integration and print its token. The token is shown only this once and "
        "stored hashed; it is the last word of the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system that will use the token, e.g. 'Web shop'.")

    def handle(self, *args, name: str, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the integration a name.")
        if ApiIntegration.objects.filter(name=name).exists():
            raise CommandError(f"An integration named {name!r} already exists.")
        integration, token = ApiIntegration.objects.create_with_token(name=name)
        self.stdout.write(f"Created API integration {integration.name!r} (id {integration.pk}).")
        self.stdout.write("Copy the token now: it is stored hashed and cannot be shown again.")
        self.stdout.write(f"Token: {token}")
