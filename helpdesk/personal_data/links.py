"""The customer's own copy of their data: asked for on their status page, sent as a signed link
to the address on record, valid for PERSONAL_DATA_LINK_DAYS days.

The link carries the customer's number signed with the site's secret and the time it was made
(django.core.signing.TimestampSigner), so nothing is stored; an erased customer's link finds
nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from helpdesk import rate_limits
from helpdesk.mail import outbox
from helpdesk.models import Customer, InvalidTransition
from helpdesk.rate_limits import Limit, RetryAt

SALT = "helpdesk.personal-data-export"
DAY = timedelta(days=1)


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def signed_token(customer: Customer) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(customer.pk))


def customer_for(token: str) -> Customer:
    """The customer whose link this is; LinkExpired, LinkInvalid, or Customer.DoesNotExist."""
    max_age = timedelta(days=settings.PERSONAL_DATA_LINK_DAYS)
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    return Customer.objects.get(pk=int(pk), erased_at__isnull=True)


def take(customer: Customer, *, now: datetime) -> RetryAt | None:
    limit = Limit(
        "personal-data-links", str(customer.pk), settings.PERSONAL_DATA_LINKS_PER_CUSTOMER_PER_DAY, DAY
    )
    return rate_limits.refused(limit, now=now)


def send_link(customer: Customer) -> None:
    """Email the customer a link to their data, at the address on record (counted first, by take())."""
    if not customer.email:
        raise InvalidTransition("no address on record")
    url = settings.SITE_URL + reverse("helpdesk:personal-data-download", args=[signed_token(customer)])
    with transaction.atomic():
        outbox.personal_data_link(customer, url)
