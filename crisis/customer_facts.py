"""What the helpdesk's customer panel and page say about incident updates
(helpdesk.hooks.CUSTOMER_FACTS): the incidents whose updates the customer's address subscribed
to, and those it opted out of. One query, none for a customer without an email address."""

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from crisis.models import Subscription
from helpdesk.hooks import CustomerFact


def incident_updates(customer) -> list[CustomerFact]:
    label = gettext("Incident updates")
    if not customer.email:
        return [CustomerFact(label, gettext("no email address to send them to"))]
    counts = Subscription.objects.filter(email=customer.email.strip().lower()).aggregate(
        receiving=Count("pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
        opted_out=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    parts = []
    if counts["opted_out"]:
        parts.append(
            ngettext(
                "opted out for %(count)d incident",
                "opted out for %(count)d incidents",
                counts["opted_out"],
            )
            % {"count": counts["opted_out"]}
        )
    if counts["receiving"]:
        parts.append(
            ngettext(
                "subscribed to %(count)d incident",
                "subscribed to %(count)d incidents",
                counts["receiving"],
            )
            % {"count": counts["receiving"]}
        )
    if not parts:
        return [
            CustomerFact(label, gettext("receives the updates of incidents their requests are linked to"))
        ]
    return [CustomerFact(label, gettext(", ").join(parts), "warning" if counts["opted_out"] else "")]
