from datetime import time

import pytest
from django.contrib.auth.models import Group, Permission

from helpdesk import intake
from helpdesk.models import BusinessCalendar, Category, OpeningHours, Priority
from helpdesk.roles import AGENTS, MANAGERS, sync_role_permissions
from tests.factories import UserFactory, queue_with_default_sla

STAFF_PASSWORD = "correct horse battery"


def pytest_configure(config):
    from tests import embeddings_cache, word_forms_index

    word_forms_index.install()
    embeddings_cache.install()
    config.pluginmanager.register(JourneysInTheirFolder(config.rootpath / "tests" / "browser"))


class JourneysInTheirFolder:
    """`make test` collects the browser journeys from tests/browser alone: one marked `browser`
    anywhere else would run in neither of its two parts, so any run that collects it stops.
    Checked before `-m` deselects anything."""

    def __init__(self, folder):
        self.folder = folder

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        elsewhere = [
            item.nodeid
            for item in items
            if item.get_closest_marker("browser") and self.folder not in item.path.parents
        ]
        if elsewhere:
            raise pytest.UsageError(f"browser journeys belong in tests/browser: {', '.join(elsewhere)}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Long tests first within each of pytest-django's groups (database tests, then transactional
    ones, then those without a database, as Django orders them): the parallel workers share the
    long ones out early instead of one worker running a long test alone at the end."""

    def group(item):
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & fixtures:
            return 1
        return 0 if marker or "db" in fixtures else 2

    def long(item):
        return bool(item.get_closest_marker("long") or item.get_closest_marker("cluster"))

    items.sort(key=lambda item: (group(item), not long(item)))


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's set-up, except that each worker's database is a copy of one migrated
    template (tests/databases.py) instead of a migration of its own."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tests import databases

    verbosity = request.config.option.verbose
    on_postgresql = connection.vendor == "postgresql"
    in_memory = connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name()
    )
    with django_db_blocker.unblock():
        original_name = connection.settings_dict["NAME"]
        if on_postgresql:
            databases.set_up_postgresql()
        elif in_memory:
            databases.set_up_sqlite()
        else:
            created = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        if on_postgresql:
            # A hub made after the last test stopped its own (an event sent while a test's last
            # fixtures ended) still holds the connection it notifies on.
            from helpdesk import live

            live.stop()
            databases.others_gone()
        if on_postgresql or in_memory:
            connection.creation.destroy_test_db(original_name, verbosity=0)
        else:
            teardown_databases(created, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _tables_emptied_by_delete():
    """After each transactional test (live server, worker process, races) Django empties every
    table with one TRUNCATE; PostgreSQL gives each of the ninety tables new files, about a second
    in all. DELETE empties the few rows such a test leaves in a few milliseconds, to the same end:
    every table empty, sequences untouched. A table whose trigger refuses DELETE (the append-only
    audit trail) is still truncated. The foreign keys are deferred, so the order does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate_all = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate_all(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                # tgtype's bit 3 (8): fires on DELETE; an INSERT or UPDATE trigger guards nothing
                "WHERE NOT t.tgisinternal AND t.tgtype & 8 <> 0"
            )
            guarded = {name for (name,) in cursor.fetchall()} & set(tables)
        deletes = [f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in guarded]  # noqa: S608
        if guarded:
            return [f"TRUNCATE {', '.join(self.quote_name(table) for table in sorted(guarded))};", *deletes]
        return deletes

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _live_listeners_stop_at_once():
    """Each test that opened a stream stops its process's live listener at its end (below); the
    listener looks up from its connection once a second to see whether to stop, so each such
    test waited up to a second for it, some sixty seconds of a run. Here it looks up every
    twentieth of a second: what it hears, and when, is the same."""
    from helpdesk.live import transports

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transports, "STOP_CHECK_SECONDS", 0.05)
        yield


@pytest.fixture(autouse=True)
def _caches_as_on_a_running_site(request):
    """Each test starts with the caches a running site has warm (the crisis banner: whether any
    incident is active), so what a page costs and shows does not depend on the tests that ran
    before in the same process. Tests of the cold path clear the cache themselves. The banner
    stays warm for the whole test (a change of incident forgets it, as on the site): its thirty
    seconds could otherwise run out within a slow test on a busy machine, between the two
    measurements of a page's queries, and add the banner's own queries to one of them."""
    from django.core.cache import cache

    from crisis import banner

    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(banner, "TTL", 24 * 60 * 60)
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    uses_database = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if uses_database:
        transactional = bool(marker and marker.kwargs.get("transaction")) or (
            "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
        )
        request.getfixturevalue("transactional_db" if transactional else "db")
        banner.state()
    yield
    cache.clear()
    if uses_database:
        # The live pages' listener holds a connection of its own to the test database, which
        # could not be dropped at the end with it still connected.
        from helpdesk import live

        live.stop()


@pytest.fixture(autouse=True)
def _language_of_a_fresh_process():
    """Each test starts in the site's default language. A request through the test client leaves
    its language active in the thread (LocaleMiddleware activates it), so without this a test
    would read dates and numbers in whatever language the previous test's last request used."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def roles(db):
    # The groups come from a data migration, and tests use them as the migrations left them; a
    # transactional test (live server, worker) empties every table afterwards, and the next one
    # re-creates them the way the migration does.
    if Group.objects.filter(name__in=[AGENTS, MANAGERS]).count() < 2:
        sync_role_permissions(Group, Permission)


@pytest.fixture
def agent(roles):
    return UserFactory(username="anna", first_name="Anna", roles=[AGENTS])


@pytest.fixture
def other_agent(roles):
    return UserFactory(username="bence", first_name="Bence", roles=[AGENTS])


@pytest.fixture
def manager(roles):
    return UserFactory(username="marek", first_name="Marek", roles=[AGENTS, MANAGERS])


@pytest.fixture
def second_manager(roles):
    """Zofia, a second manager (in the admin, as the staff page makes managers): four eyes."""
    return UserFactory(username="zofia", first_name="Zofia", roles=[AGENTS, MANAGERS], is_staff=True)


@pytest.fixture
def outsider(db):
    """Someone with a login but no staff role (an account left over from an old employee)."""
    return UserFactory(username="visitor", first_name="Vera")


# --- routing and tickets -------------------------------------------------------------------


@pytest.fixture
def budapest_calendar(db):
    """Weekdays 08:00-17:00 in Budapest, Hungarian public holidays and bridge days."""
    calendar = BusinessCalendar.objects.create(name="Budapest", country="HU", time_zone="Europe/Budapest")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=time(8), closes=time(17)) for day in range(5)
    )
    return calendar


@pytest.fixture
def warsaw_calendar(db):
    """Weekdays 08:00-18:00 and Saturday 09:00-13:00 in Warsaw, Polish public holidays."""
    calendar = BusinessCalendar.objects.create(name="Warsaw", country="PL", time_zone="Europe/Warsaw")
    hours = [(day, time(8), time(18)) for day in range(5)] + [(5, time(9), time(13))]
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in hours
    )
    return calendar


@pytest.fixture
def queue(budapest_calendar, manager):
    """The default queue, any language, default SLA targets (normal: 8 business hours to answer)."""
    return queue_with_default_sla(
        name="General", slug="general", calendar=budapest_calendar, manager=manager, is_default=True
    )


@pytest.fixture
def polish_queue(warsaw_calendar, manager):
    return queue_with_default_sla(
        name="Rozliczenia", slug="billing-pl", language="pl", calendar=warsaw_calendar, manager=manager
    )


@pytest.fixture
def category(queue):
    return Category.objects.create(
        slug="billing", name_en="Bills", name_hu="Számlák", name_pl="Rachunki", queue=queue
    )


@pytest.fixture
def complaint_category(queue):
    return Category.objects.create(
        slug="complaint",
        name_en="Complaint",
        name_hu="Panasz",
        name_pl="Reklamacja",
        queue=queue,
        default_priority=Priority.HIGH,
        is_complaint=True,
    )


@pytest.fixture
def make_ticket(queue):
    """Create a ticket through the real intake path (no acknowledgement unless asked)."""

    def make(**overrides):
        arguments = {
            "channel": "web",
            "subject": "Charged twice",
            "body": "My November bill was taken twice from my account.",
            "name": "Katalin Szabó",
            "email": "katalin@example.hu",
            "language": "hu",
            "acknowledge": False,
            # As the channels say it: an agent hears the caller or sees the visitor.
            "identity_verified": overrides.get("channel", "web") in ("phone", "walk_in"),
            **overrides,
        }
        return intake.receive(**arguments)

    return make


@pytest.fixture
def hooked():
    """`hooked(hook, entry)` adds an entry to one of the apps' hooks for this test only."""
    added = []

    def add(hook, entry):
        hook.add(entry)
        added.append((hook, entry))
        return entry

    yield add
    for hook, entry in added:
        hook.remove(entry)
