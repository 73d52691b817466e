import pytest
from django.contrib.auth.models import Group, Permission

from helpdesk.roles import AGENTS, MANAGERS, sync_role_permissions
from tests.factories import UserFactory

STAFF_PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    # The groups come from a data migration, but a transactional test (live server, worker)
    # empties every table afterwards; re-create them the way the migration does.
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
def outsider(db):
    """Someone with a login but no staff role (an account left over from an old employee)."""
    return UserFactory(username="visitor", first_name="Vera")
