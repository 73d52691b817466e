"""The API channel: an integration's request becomes a ticket through `intake.receive`, once.

A client that retries (a timeout, a crash before it saw our answer) sends the same
Idempotency-Key or the same external id, and gets the ticket it already opened instead of a
second one, also when both attempts arrive at the same moment.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import intake, rate_limits
from helpdesk.api.forms import ApiTicketForm
from helpdesk.api.input import is_storable
from helpdesk.models import ApiIdempotencyKey, ApiIntegration, Channel, Ticket
from helpdesk.rate_limits import Limit

RATE_WINDOW = timedelta(minutes=1)
IDEMPOTENCY_KEY_MAX_LENGTH = ApiIdempotencyKey._meta.get_field("key").max_length


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def open_ticket(*, integration: ApiIntegration, data: dict, idempotency_key: str = "") -> tuple[Ticket, bool]:
    """The ticket for this request and whether it is new; raises Invalid or RateLimited."""
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise Invalid(
            {
                "idempotency_key": [
                    _("Use an Idempotency-Key of at most %(limit)d characters.")
                    % {"limit": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    if not is_printable_key(idempotency_key):
        raise Invalid({"idempotency_key": [_("Use an Idempotency-Key of printable characters only.")]})
    external_id = (data.get("external_id") or "").strip()
    existing = existing_ticket(integration, idempotency_key=idempotency_key, external_id=external_id)
    if existing is not None:
        return existing, False
    form = ApiTicketForm(data)
    if not form.is_valid():
        raise Invalid({field: list(messages) for field, messages in form.errors.items()})
    take_place(integration)
    fields = form.cleaned_data
    try:
        with transaction.atomic():
            ticket = intake.receive(
                channel=Channel.API,
                identity_verified=False,  # the other system passes on what its customer typed
                integration=integration,
                external_id=fields["external_id"],
                name=fields["name"],
                email=fields["email"],
                phone=fields["phone"],
                language=fields["language"],
                category=fields["category"],
                subject=fields["subject"],
                body=fields["description"],
            )
            if idempotency_key:
                ApiIdempotencyKey.objects.create(integration=integration, key=idempotency_key, ticket=ticket)
    except IntegrityError:
        # The same request arrived twice at once and the other one committed first.
        existing = existing_ticket(integration, idempotency_key=idempotency_key, external_id=external_id)
        if existing is None:
            raise
        return existing, False
    return ticket, True


def is_printable_key(key: str) -> bool:
    # A header value: no control character (NUL included) and nothing a driver cannot encode.
    return is_storable(key) and all(character.isprintable() for character in key)


def existing_ticket(integration: ApiIntegration, *, idempotency_key: str, external_id: str) -> Ticket | None:
    if idempotency_key:
        stored = (
            ApiIdempotencyKey.objects.filter(integration=integration, key=idempotency_key)
            .select_related("ticket")
            .first()
        )
        if stored is not None:
            return stored.ticket
    if external_id:
        return Ticket.objects.filter(integration=integration, external_id=external_id).first()
    return None


def take_place(integration: ApiIntegration) -> None:
    """Counts a new ticket against the integration's limit per minute, or raises RateLimited."""
    now = timezone.now()
    limit = Limit("api-integration", str(integration.pk), settings.API_RATE_LIMIT_PER_MINUTE, RATE_WINDOW)
    retry = rate_limits.refused(limit, now=now)
    if retry:
        raise RateLimited(retry.seconds_from(now))
