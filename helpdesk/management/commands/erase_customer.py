"""Erase a customer's personal data everywhere, after a confirmation on the terminal (or --yes)."""

from django.core.management.base import BaseCommand, CommandError

from helpdesk.models import Customer
from helpdesk.personal_data.erasure import erase_customer


class Command(BaseCommand):
    help = "Erase the personal data of the customer with this email address. This cannot be undone."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email, yes=False, **options):
        customer = Customer.objects.filter(email__iexact=email.strip()).first()
        if customer is None:
            raise CommandError(f"No customer has the email address {email}.")
        if not yes:
            answer = input(
                f"Erase the personal data of customer #{customer.pk} ({email})? This cannot be undone. [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing erased.")
        erased = erase_customer(customer)
        counts = ", ".join(f"{what}: {count}" for what, count in sorted(erased.items()))
        self.stdout.write(f"Erased the personal data of customer #{customer.pk}: {counts}.")
