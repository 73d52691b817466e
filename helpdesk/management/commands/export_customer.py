"""Write a customer's data export (a zip: the JSON document and their files) and print its path."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helpdesk.models import Customer
from helpdesk.personal_data.export import export_archive


class Command(BaseCommand):
    help = "Export everything held about the customer with this email address into a zip file."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--directory", help="Where to write the file (default: a new temporary directory)."
        )

    def handle(self, *args, email, directory=None, **options):
        customer = Customer.objects.filter(email__iexact=email.strip()).first()
        if customer is None:
            raise CommandError(f"No customer has the email address {email}.")
        archive = export_archive(customer)
        folder = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="personal-data-"))
        path = folder / archive.filename
        path.write_bytes(archive.content)
        self.stdout.write(f"Wrote the personal data of customer #{customer.pk} to {path}")
