"""helpdesk.rate_limits: "at most N in any window", counted atomically, in the database or Redis."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.db import connection

from helpdesk import rate_limits
from helpdesk.models import RateLimit
from helpdesk.rate_limits import ALLOWED, Limit, RetryAt

TEST_REDIS = "redis://127.0.0.1:6379/7"
ELEVEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
IP = "203.0.113.7"


def per_hour(times: int, key: str = IP, name: str = "test-ip") -> Limit:
    return Limit(name, key, times, timedelta(hours=1))


@pytest.fixture
def redis_counts(settings):
    """Counted in the test Redis database, emptied before and after; one test at a time."""
    client = redis.Redis.from_url(TEST_REDIS)

    def forget():
        for key in client.scan_iter("helpdesk:rate-limit:*"):
            client.delete(key)

    with client.lock("tests:rate-limits", timeout=120, blocking_timeout=120):
        forget()
        settings.REDIS_URL = TEST_REDIS
        yield client
        forget()


@pytest.fixture(params=["database", "redis"])
def counted_in(request, db):
    if request.param == "redis":
        request.getfixturevalue("redis_counts")
    return request.param


def test_the_limit_allows_its_number_then_says_when_the_oldest_leaves_the_window(counted_in):
    times = [ELEVEN, ELEVEN + timedelta(minutes=10), ELEVEN + timedelta(minutes=20)]
    for now in times:
        assert rate_limits.take(per_hour(3), now=now) == ALLOWED

    refused = rate_limits.take(per_hour(3), now=ELEVEN + timedelta(minutes=30))

    assert refused == RetryAt(ELEVEN + timedelta(hours=1))
    # Refused attempts are not counted: the time said stays true.
    assert rate_limits.take(per_hour(3), now=ELEVEN + timedelta(minutes=59)) == refused
    assert rate_limits.take(per_hour(3), now=ELEVEN + timedelta(hours=1)) == ALLOWED
    assert rate_limits.take(per_hour(3), now=ELEVEN + timedelta(hours=1)) == RetryAt(
        ELEVEN + timedelta(minutes=70)
    )


def test_each_sender_and_each_limit_is_counted_on_its_own(counted_in):
    assert rate_limits.take(per_hour(1), now=ELEVEN) == ALLOWED

    assert isinstance(rate_limits.take(per_hour(1), now=ELEVEN), RetryAt)
    assert rate_limits.take(per_hour(1, key="198.51.100.1"), now=ELEVEN) == ALLOWED
    assert rate_limits.take(per_hour(1, name="other"), now=ELEVEN) == ALLOWED


def test_several_limits_count_an_attempt_under_all_of_them_or_none(counted_in):
    by_address, by_email = per_hour(5), per_hour(1, key="e-mail-hash", name="test-email")
    assert rate_limits.take(by_address, by_email, now=ELEVEN) == ALLOWED

    refused = rate_limits.take(by_address, by_email, now=ELEVEN + timedelta(minutes=5))

    assert refused == RetryAt(ELEVEN + timedelta(hours=1))
    for _place in range(4):  # the refused attempt took none of the address's five places
        assert rate_limits.take(by_address, now=ELEVEN + timedelta(minutes=6)) == ALLOWED
    assert isinstance(rate_limits.take(by_address, now=ELEVEN + timedelta(minutes=6)), RetryAt)


def test_a_limit_of_zero_is_off_and_counts_nothing(counted_in):
    for _attempt in range(3):
        assert rate_limits.take(per_hour(0), now=ELEVEN) == ALLOWED
    assert not RateLimit.objects.exists()


def test_a_lowered_limit_applies_at_once(counted_in):
    for minute in range(4):
        rate_limits.take(per_hour(5), now=ELEVEN + timedelta(minutes=minute))

    # Two of the four must leave the window before a third may come in.
    assert rate_limits.take(per_hour(2), now=ELEVEN + timedelta(minutes=5)) == RetryAt(
        ELEVEN + timedelta(hours=1, minutes=2)
    )


def test_the_database_keeps_one_small_row_per_sender_and_no_email_address(db):
    for minute in range(5):
        rate_limits.take(per_hour(3), now=ELEVEN + timedelta(minutes=minute * 20))
    key = rate_limits.address_key(" Katalin@Example.hu")
    rate_limits.take(per_hour(3, key=key, name="test-email"), now=ELEVEN)

    row = RateLimit.objects.get(name="test-ip")
    assert len(row.attempts) == 3
    assert key == rate_limits.address_key("katalin@example.hu")
    assert "katalin" not in str(list(RateLimit.objects.values_list("key", "attempts")))


def test_with_redis_nothing_is_written_to_the_database(redis_counts, db):
    rate_limits.take(per_hour(3), now=ELEVEN)

    assert not RateLimit.objects.exists()
    assert redis_counts.zcard(rate_limits.redis_key(per_hour(3))) == 1
    assert 0 < redis_counts.pttl(rate_limits.redis_key(per_hour(3))) <= 3_600_000


def test_when_redis_does_not_answer_the_database_counts(settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:9/7"  # nothing listens there

    assert rate_limits.take(per_hour(1), now=ELEVEN) == ALLOWED
    assert isinstance(rate_limits.take(per_hour(1), now=ELEVEN), RetryAt)
    assert RateLimit.objects.count() == 1


def test_the_worker_forgets_rows_untouched_for_a_day(db):
    rate_limits.take(per_hour(3), now=ELEVEN - timedelta(days=2))
    rate_limits.take(per_hour(3, key="198.51.100.1"), now=ELEVEN - timedelta(hours=2))

    assert rate_limits.forget_old_attempts(now=ELEVEN) == 1
    assert RateLimit.objects.get().key == "198.51.100.1"


def test_the_time_to_say_is_rounded_up_to_the_minute():
    assert RetryAt(ELEVEN).to_the_minute == ELEVEN
    assert RetryAt(ELEVEN + timedelta(seconds=1)).to_the_minute == ELEVEN + timedelta(minutes=1)
    assert RetryAt(ELEVEN + timedelta(seconds=30)).seconds_from(ELEVEN) == 30
    assert RetryAt(ELEVEN).seconds_from(ELEVEN) == 1
    # On the site's clock (Europe/Budapest, UTC+1 in November).
    assert RetryAt(ELEVEN + timedelta(seconds=1)).clock == "11:01"


def test_refused_says_only_when_to_try_again(counted_in):
    assert rate_limits.refused(per_hour(1), now=ELEVEN) is None
    assert rate_limits.refused(per_hour(1), now=ELEVEN + timedelta(minutes=5)) == RetryAt(
        ELEVEN + timedelta(hours=1)
    )


# --- at the same moment ------------------------------------------------------------------------


def take_together(count: int, limit: Limit) -> list[bool]:
    barrier = threading.Barrier(count)
    allowed: list[bool] = [False] * count
    errors = []

    def attempt(index):
        try:
            barrier.wait(timeout=10)
            allowed[index] = rate_limits.take(limit, now=ELEVEN) == ALLOWED
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return allowed


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_twenty_attempts_at_once_in_the_database_let_exactly_ten_through():
    assert take_together(20, per_hour(10)).count(True) == 10
    assert len(RateLimit.objects.get().attempts) == 10


@pytest.mark.django_db(transaction=True)
def test_twenty_attempts_at_once_in_redis_let_exactly_ten_through(redis_counts):
    assert take_together(20, per_hour(10)).count(True) == 10
    assert redis_counts.zcard(rate_limits.redis_key(per_hour(10))) == 10
