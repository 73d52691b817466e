"""The lobby screen: public, numbers at the desks and next in line, waits, three languages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk import hooks
from helpdesk.models import Priority
from helpdesk.walk_in import lobby, visits
from tests.helpdesk.walk_in.conftest import OPEN_MORNING, budapest

pytestmark = pytest.mark.usefixtures("open_morning")


def board_of(client, branch, *, partial=False):
    response = client.get(f"/display/{branch.slug}/" + ("board/" if partial else ""))
    assert response.status_code == 200
    return response.text


def test_the_lobby_shows_who_is_served_where_and_who_is_next_without_login(
    client, branch, check_in, desk, agent, line_b
):
    first = check_in()
    check_in(service=line_b)
    check_in()
    visits.call_next(desk, agent=agent)

    text = board_of(client, branch)

    assert 'data-testid="serving-A-001"' in text
    assert '<td class="lobby-desk">1</td>' in text
    assert "B-001</li><li>A-002" in text  # next in line, in the queue order
    assert first.code not in text.split('data-testid="next-up"')[1]
    assert 'data-testid="wait-A"' in text
    assert 'data-testid="wait-B"' in text
    assert "1 waiting" in text


def test_next_in_line_follows_the_database_queue_order_not_the_numbers(client, branch, check_in, agent):
    check_in()
    urgent = check_in()
    urgent.ticket.change_priority(Priority.URGENT, by=agent)

    text = board_of(client, branch, partial=True)

    assert "<li>A-002</li><li>A-001</li>" in text


def test_a_number_called_again_is_highlighted(client, branch, check_in, desk, agent, open_morning):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    assert 'class="lobby-fresh"' in board_of(client, branch, partial=True)

    open_morning.move_to(OPEN_MORNING + timedelta(minutes=2))
    assert 'class="lobby-fresh"' not in board_of(client, branch, partial=True)

    visit.recall(by=agent)
    assert 'class="lobby-fresh"' in board_of(client, branch, partial=True)


def test_the_estimated_wait_grows_with_the_line(client, branch, check_in, line_a):
    empty = lobby.board(lobby.lobby_branch(branch.slug)).lines[0]
    for _ in range(6):
        check_in()
    crowded = lobby.board(lobby.lobby_branch(branch.slug)).lines[0]

    assert (empty.service, empty.waiting, crowded.waiting) == (line_a, 0, 6)
    assert empty.minutes_high < crowded.minutes_high


def test_when_the_branch_is_closed_the_lobby_says_when_it_opens(client, branch, line_a, open_morning):
    open_morning.move_to(budapest(2026, 3, 18, 19, 0))

    text = board_of(client, branch)

    assert "Closed now · opens Thursday 08:00" in text
    assert "We are closed" in text


def test_a_fixed_language_branch_speaks_it_and_says_so(client, branch, line_a):
    branch.display_language = "hu"
    branch.save()

    text = board_of(client, branch)

    assert '<html lang="hu">' in text
    assert 'lang="hu" data-lang="hu"' in text
    assert "Általános ügyintézés" in text  # the line's Hungarian name


def test_a_rotating_branch_shows_each_language_in_turn_with_its_lang(client, branch, line_a, open_morning):
    seen = []
    start = OPEN_MORNING.timestamp() // lobby.ROTATE_SECONDS * lobby.ROTATE_SECONDS
    for turn in range(3):
        open_morning.move_to(start + turn * lobby.ROTATE_SECONDS + 1)
        text = board_of(client, branch, partial=True)
        language = text.split('data-lang="')[1].split('"')[0]
        assert f'lang="{language}" data-lang="{language}"' in text
        seen.append(language)

    assert sorted(seen) == ["en", "hu", "pl"]


def test_lobby_notices_show_on_the_lobby_in_the_language_shown_and_customer_notices_do_not(
    client, branch, line_a, settings, tmp_path, hooked
):
    (tmp_path / "outage.html").write_text('<p class="outage">{{ notice.text }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    branch.display_language = "pl"
    branch.save()

    def provider(request):
        return [hooks.Notice("outage.html", {"text": f"Outage ({request.LANGUAGE_CODE})"})]

    def customer_page_provider(request):
        return [hooks.Notice("outage.html", {"text": "Tell me by email"})]

    hooked(hooks.LOBBY_NOTICES, provider)
    hooked(hooks.CUSTOMER_PAGE_NOTICES, customer_page_provider)
    text = board_of(client, branch, partial=True)
    page = board_of(client, branch)

    assert '<p class="outage">Outage (pl)</p>' in text
    assert '<p class="outage">Outage (pl)</p>' in page
    assert "Tell me by email" not in text
    assert "Tell me by email" not in page


def test_an_unknown_or_closed_down_branch_is_not_found(client, branch):
    assert client.get("/display/nowhere/").status_code == 404
    branch.is_active = False
    branch.save()
    assert client.get(f"/display/{branch.slug}/").status_code == 404
    assert client.get(f"/display/{branch.slug}/board/").status_code == 404


def test_the_lobby_is_never_cached(client, branch, line_a):
    response = client.get(f"/display/{branch.slug}/board/")
    assert "no-cache" in response["Cache-Control"]


# --- a fixed number of queries --------------------------------------------------------------


def crowd(check_in, line_b, *, visitors, desks, agents):
    for number in range(visitors):
        check_in(service=line_b if number % 3 == 0 else None)
    for desk, agent in zip(desks, agents, strict=True):
        visits.call_next(desk, agent=agent)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("partial", [False, True])
def test_the_lobby_issues_the_same_queries_whatever_the_crowd(
    client, branch, check_in, line_b, desk, other_desk, agent, other_agent, partial
):
    url = f"/display/{branch.slug}/" + ("board/" if partial else "")
    crowd(check_in, line_b, visitors=3, desks=[desk], agents=[agent])
    small = count_queries(client, url)

    crowd(check_in, line_b, visitors=30, desks=[other_desk], agents=[other_agent])
    large = count_queries(client, url)

    assert small == large
    assert large <= 9


def test_the_front_desk_and_the_desk_pages_issue_the_same_queries_whatever_the_crowd(
    client, branch, check_in, line_b, desk, other_desk, agent, other_agent
):
    urls = [f"/agent/walk-in/{branch.slug}/check-in/", f"/agent/walk-in/desks/{desk.pk}/", "/agent/walk-in/"]
    client.force_login(agent)
    crowd(check_in, line_b, visitors=3, desks=[desk], agents=[agent])
    small = [count_queries(client, url) for url in urls]

    crowd(check_in, line_b, visitors=30, desks=[other_desk], agents=[other_agent])
    large = [count_queries(client, url) for url in urls]

    assert small == large
