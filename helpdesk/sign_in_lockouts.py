"""Sign-in lockouts: which accounts and client addresses are paused now, and lifting a pause.

django-axes counts the failed sign-ins (AccessAttempt: one row per account, client address and
browser, with its number of failures and the time of the last one, forgotten once that is
older than AXES_COOLOFF_TIME) and keeps every failure in AccessFailureLog, marked when it met
a lockout. An account, or a client address, is paused while its rows add up to
AXES_FAILURE_LIMIT failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from helpdesk.models import LockoutLift


@dataclass(frozen=True)
class Lockout:
    """An account (`username`) or a client address (`ip_address`) that may not sign in now."""

    username: str
    ip_address: str | None
    failures: int
    until: datetime


def counting(now: datetime):
    return AccessAttempt.objects.filter(attempt_time__gt=now - settings.AXES_COOLOFF_TIME)


def current(now: datetime | None = None) -> list[Lockout]:
    """Paused accounts, then paused client addresses, the most recent first."""
    now = now or timezone.now()
    lockouts = []
    for field, unknown in (
        ("username", Q(username__isnull=True) | Q(username="")),
        ("ip_address", Q(ip_address__isnull=True)),
    ):
        groups = (
            counting(now)
            .exclude(unknown)
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        for group in groups:
            lockouts.append(
                Lockout(
                    username=group.get("username") or "",
                    ip_address=group.get("ip_address"),
                    failures=group["failures"],
                    until=group["last"] + settings.AXES_COOLOFF_TIME,
                )
            )
    return lockouts


def ends_at(*, username: str | None, ip_address: str | None, now: datetime) -> datetime:
    """When this account may sign in again from this address, at the latest.

    The last failure counted for either, plus the pause: failures during a pause do not count
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so this time does not move.
    """
    either = Q(pk__in=[])
    if username:
        either |= Q(username=username)
    if ip_address:
        either |= Q(ip_address=ip_address)
    last = counting(now).filter(either).aggregate(last=Max("attempt_time"))["last"]
    return (last or now) + settings.AXES_COOLOFF_TIME


def lift(*, by, username: str = "", ip_address: str | None = None) -> LockoutLift | None:
    """Forget the failed sign-ins of an account or of a client address; None when there were none
    (it ran out, or another manager lifted it first).

    Lifting an account forgets its failures from every address, which also counted against
    those addresses; lifting an address forgets every account's failures from it.
    """
    which = {"username": username} if username else {"ip_address": ip_address}
    with transaction.atomic():
        failures = AccessAttempt.objects.filter(**which).aggregate(total=Sum("failures_since_start"))["total"]
        deleted = reset(username=username) if username else reset(ip=ip_address)
        if not deleted:
            return None
        return LockoutLift.objects.create(
            lifted_by=by, username=username, ip_address=ip_address, failures=failures or 0
        )
