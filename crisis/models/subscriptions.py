"""Email subscriptions to an incident's updates, without a ticket.

Double opt-in: the address receives a confirmation link first, so nobody can subscribe someone
else. Opting out is one click from any update (a subscriber's or a linked customer's) and is
remembered per incident and address, so the next update skips it.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis.models.incident import Incident
from helpdesk.references import hash_token, new_status_token, new_token_hash

# A confirmation link is sent at most once an hour per address and incident.
ONE_HOUR = timedelta(hours=1)


class SubscriptionQuerySet(models.QuerySet):
    def erase_personal_data(self) -> int:
        """A subscription is nothing but an address: erased, it is deleted."""
        deleted, _by_model = self.delete()
        return deleted

    def with_token(self, token: str):
        return self.filter(token_hash=hash_token(token))

    def receiving(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def new_token() -> str:
    """Kept for migration 0004, which named it as the default of the former token column."""
    return new_status_token()


class Subscription(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("incident")
    )
    email = models.CharField(_("email"), max_length=254)  # lower case
    language = models.CharField(_("language"), max_length=8, default="en")
    # The hash of the newest confirmation link's token; each confirmation sent draws a new one.
    token_hash = models.CharField(max_length=64, unique=True, default=new_token_hash, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    # The token of the confirmation link drawn or presented in this request; never stored.
    token = ""

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["incident", "email"], name="subscription_once")]
        indexes = [
            models.Index(
                fields=["incident", "email"],
                condition=models.Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
                name="subscription_receiving",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @classmethod
    def request(cls, incident: Incident, *, email: str, language: str) -> "Subscription | None":
        """Ask to subscribe; returns the subscription whose confirmation must be sent, or None.

        Asking again within the hour sends nothing new (a person pressing twice, or someone
        flooding another address); an address that opted out may opt in again the same way.
        """
        email = email.strip().lower()
        subscription, _created = cls.objects.get_or_create(
            incident=incident, email=email, defaults={"language": language}
        )
        now = timezone.now()
        if subscription.is_receiving:
            return None
        recently = subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < ONE_HOUR
        if recently:
            return None
        subscription.language = language
        subscription.confirmation_sent_at = now
        subscription.token = new_status_token()
        subscription.token_hash = hash_token(subscription.token)
        subscription.save(update_fields=["language", "confirmation_sent_at", "token_hash"])
        return subscription

    def confirm(self) -> None:
        if self.is_receiving:
            return
        self.confirmed_at, self.unsubscribed_at = timezone.now(), None
        self.save(update_fields=["confirmed_at", "unsubscribed_at"])

    @classmethod
    def opt_out_of_every_incident(cls, customer) -> int:
        """At the customer's request, through an agent: no more updates of any incident still
        going, whether their address subscribed or a request of theirs is linked to it. Returns
        the number of incidents newly opted out of."""
        email = customer.email.strip().lower()
        if not email:
            return 0
        active = Incident.objects.active()
        going = {
            *active.filter(ticket_links__ticket__customer=customer).values_list("pk", flat=True),
            *cls.objects.filter(email=email, incident__in=active)
            .receiving()
            .values_list("incident_id", flat=True),
        }
        already = set(
            cls.objects.filter(email=email, unsubscribed_at__isnull=False).values_list(
                "incident_id", flat=True
            )
        )
        for incident_id in going - already:
            cls.opt_out(incident_id, email)
        return len(going - already)

    @classmethod
    def opt_out(cls, incident_id: int, email: str) -> None:
        """Stop updates of this incident to this address, subscriber or linked customer."""
        now = timezone.now()
        subscription, created = cls.objects.get_or_create(
            incident_id=incident_id, email=email.strip().lower(), defaults={"unsubscribed_at": now}
        )
        if not created and subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = now
            subscription.save(update_fields=["unsubscribed_at"])
