import pytest
from django.core.cache import cache

from crisis.models import Incident, IncidentUpdate
from tests.factories import UserFactory

STATEMENT = {
    "en": "Card payments fail for some customers. We are working on it.",
    "hu": "Egyes ügyfeleinknél nem működik a kártyás fizetés. Dolgozunk a megoldáson.",
    "pl": "U części klientów nie działają płatności kartą. Pracujemy nad tym.",
}
UPDATE = {
    "en": "We found the cause: a faulty payment gateway. A fix is being tested.",
    "hu": "Megtaláltuk az okát: hibás fizetési átjáró. A javítást teszteljük.",
    "pl": "Znaleźliśmy przyczynę: wadliwa bramka płatności. Testujemy poprawkę.",
}


@pytest.fixture(autouse=True)
def _fresh_banner_cache():
    # The banner is cached across requests by design; each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_manager(roles):
    from helpdesk.roles import AGENTS, MANAGERS

    return UserFactory(username="zofia", first_name="Zofia", roles=[AGENTS, MANAGERS])


@pytest.fixture
def make_incident(manager, category):
    def make(**overrides):
        arguments = {
            "title": "Card payments failing",
            "title_hu": "Nem működik a kártyás fizetés",
            "title_pl": "Płatności kartą nie działają",
            "statement": STATEMENT,
            "by": manager,
            "categories": [category],
            "match_keywords": "kártya\nkarta\ncard",
            **overrides,
        }
        return Incident.declare(**arguments)

    return make


@pytest.fixture
def incident(make_incident):
    return make_incident()


@pytest.fixture
def draft(incident, agent):
    return IncidentUpdate.draft(incident, by=agent, texts=UPDATE)
