"""The retention policy: each kind of personal data, how long it is kept, and what removes it.

One declared list of rules. Each names the setting that holds its period (README, "Personal
data"), the rows that are due (a QuerySet, given the moment before which they are due) and the
model method that removes the data from one row. That method is the business rule: it refuses an
open request and is conditional on the data still being there, so two runs at once never both
remove the same row, and a second run finds nothing left to do.

`due()` is what `manage.py retention --dry-run` lists; `enforce()` (the daily worker task, and
`manage.py retention`) removes exactly the rows that are due, batch by batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from helpdesk.models import AccessRecord, Attachment, Channel, InboundEmail, Ticket, TicketEntry
from helpdesk.models.ticket import ENDED_STATUSES
from helpdesk.personal_data.erasure import erase_ended_request

logger = logging.getLogger(__name__)

BATCH = 500
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str  # for the operator running the command, in English like its other output
    setting: str
    unit: timedelta  # the setting counts days or years
    due_before: Callable[[datetime], models.QuerySet]
    remove: Callable[[models.Model], bool]

    def period(self) -> timedelta:
        return getattr(settings, self.setting) * self.unit

    def due(self, now: datetime) -> models.QuerySet:
        return self.due_before(now - self.period())


# Each QuerySet loads only what its removal reads (a raw message may weigh megabytes).


def _raw_email(cutoff):
    # The email made or joined a request (a quarantined one goes by its own rule below).
    return InboundEmail.objects.filter(
        ticket__status__in=ENDED_STATUSES,
        review=InboundEmail.Review.NONE,
        received_at__lt=cutoff,
        raw_removed_at__isnull=True,
    ).only("pk")


def _quarantined_email(cutoff):
    decided = InboundEmail.objects.filter(
        review__in=[InboundEmail.Review.CONVERTED, InboundEmail.Review.DISCARDED],
        reviewed_at__lt=cutoff,
        raw_removed_at__isnull=True,
    )
    ended = models.Q(ticket__isnull=True) | models.Q(ticket__status__in=ENDED_STATUSES)
    return decided.filter(ended).only("pk")


def _source_ip(cutoff):
    return Ticket.objects.filter(
        status__in=ENDED_STATUSES, source_ip__isnull=False, created_at__lt=cutoff
    ).only("pk")


def _attachment(cutoff):
    return Attachment.objects.filter(
        entry__ticket__in=Ticket.objects.ended_before(cutoff), removed_at__isnull=True
    ).only("pk", "file", "thumbnail")


def _chat_line(cutoff):
    return TicketEntry.objects.filter(
        ticket__in=Ticket.objects.ended_before(cutoff),
        channel=Channel.CHAT,
        kind__in=[TicketEntry.Kind.MESSAGE, TicketEntry.Kind.REPLY],
        text_removed_at__isnull=True,
    ).only("pk")


def _access_record(cutoff):
    return AccessRecord.objects.filter(at__lt=cutoff).only("pk")


def _closed_ticket(cutoff):
    return Ticket.objects.ended_before(cutoff).filter(personal_data_erased_at__isnull=True).only("pk")


RULES = [
    Rule(
        "raw_email",
        "Raw source of emails that made or joined a request",
        "RETENTION_RAW_EMAIL_DAYS",
        timedelta(days=1),
        _raw_email,
        InboundEmail.drop_raw_source,
    ),
    Rule(
        "quarantined_email",
        "Quarantined emails, after the decision",
        "RETENTION_QUARANTINED_EMAIL_DAYS",
        timedelta(days=1),
        _quarantined_email,
        InboundEmail.forget_quarantined,
    ),
    Rule(
        "source_ip",
        "Addresses (IP) requests were sent from",
        "RETENTION_SOURCE_IP_DAYS",
        timedelta(days=1),
        _source_ip,
        Ticket.forget_source_ip,
    ),
    Rule(
        "attachment",
        "Files of closed requests",
        "RETENTION_ATTACHMENT_DAYS",
        timedelta(days=1),
        _attachment,
        Attachment.remove_file,
    ),
    Rule(
        "chat_line",
        "Chat transcripts of closed requests",
        "RETENTION_CHAT_TRANSCRIPT_YEARS",
        YEAR,
        _chat_line,
        TicketEntry.remove_text,
    ),
    Rule(
        "access_record",
        "Records of who looked at personal data",
        "RETENTION_ACCESS_RECORD_DAYS",
        timedelta(days=1),
        _access_record,
        AccessRecord.forget,
    ),
    Rule(
        "closed_ticket",
        "Personal data of closed requests",
        "RETENTION_CLOSED_TICKET_YEARS",
        YEAR,
        _closed_ticket,
        erase_ended_request,
    ),
]


def due(now: datetime | None = None) -> dict[str, list[int]]:
    """What each rule would remove now: the rows' ids, by kind (the dry run)."""
    now = now or timezone.now()
    return {rule.kind: list(rule.due(now).order_by("pk").values_list("pk", flat=True)) for rule in RULES}


def enforce(now: datetime | None = None) -> dict[str, list[int]]:
    """Remove what is due, rule by rule in batches; the ids each rule removed, by kind."""
    now = now or timezone.now()
    return {rule.kind: _enforce(rule, now) for rule in RULES}


def _enforce(rule: Rule, now: datetime) -> list[int]:
    removed: list[int] = []
    after = 0
    while True:
        # Keyset batches over the ids still due: a row removed meanwhile by another run is
        # simply not due any more, and its method refuses it if it was read just before.
        batch = list(rule.due(now).filter(pk__gt=after).order_by("pk")[:BATCH])
        if not batch:
            return removed
        removed += [row.pk for row in batch if rule.remove(row)]
        after = batch[-1].pk
        logger.info("retention %s: %d removed so far (batch up to id %d)", rule.kind, len(removed), after)
