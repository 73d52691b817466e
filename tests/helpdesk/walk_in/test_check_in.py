"""The front desk: a visitor checks in, becomes a walk-in ticket and gets the day's next number."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection

from helpdesk.models import Channel, Customer, Notification, TicketEntry, Visit
from helpdesk.walk_in import visits
from tests.helpdesk.walk_in.conftest import OPEN_MORNING

pytestmark = pytest.mark.usefixtures("open_morning")


def test_a_visitor_becomes_a_walk_in_ticket_in_their_lines_queue(check_in, line_a, agent):
    visit = check_in(name="Tóth Erzsébet", need="Új szerződés", phone="06 30 555 0101")

    ticket = visit.ticket
    assert visit.code == "A-001"
    assert (ticket.channel, ticket.queue, ticket.language) == (Channel.WALK_IN, line_a.queue, "hu")
    assert ticket.customer.phone == "+36305550101"
    assert ticket.is_in_line
    created = ticket.entries.get(event=TicketEntry.Event.CREATED)
    assert created.author == agent
    assert ticket.entries.get(kind=TicketEntry.Kind.MESSAGE).body == "Új szerződés"


def test_numbers_count_up_per_line_and_start_again_the_next_day(check_in, line_b, open_morning):
    codes = [check_in().code, check_in().code, check_in(service=line_b).code, check_in().code]
    open_morning.move_to(OPEN_MORNING + timedelta(days=1))
    codes.append(check_in().code)

    assert codes == ["A-001", "A-002", "B-001", "A-003", "A-001"]


def test_a_visitor_known_only_by_name_can_check_in(check_in):
    visit = check_in(name="Kovács Ádám", phone="", email="")

    assert visit.ticket.customer.name == "Kovács Ádám"
    assert Customer.objects.filter(phone="", email="").count() == 1


def test_a_visitor_with_an_email_gets_the_acknowledgement_with_their_status_link(check_in):
    visit = check_in(phone="", email="erzsebet@example.hu")

    assert Notification.objects.filter(ticket=visit.ticket, kind=Notification.Kind.ACKNOWLEDGEMENT).exists()


# --- the page ------------------------------------------------------------------------------


def test_front_desk_checks_in_and_hands_out_the_slip(client, agent, branch, line_a, line_b):
    client.force_login(agent)
    response = client.post(
        f"/agent/walk-in/{branch.slug}/check-in/",
        {
            "service": line_b.pk,
            "name": "Nagy Péter",
            "need": "Double charge",
            "phone": "+36 20 555 0199",
            "language": "hu",
        },
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agent/walk-in/visits/{visit.pk}/slip/"
    slip = client.get(response["Location"])
    assert visit.code == "B-001"
    assert 'data-testid="slip-number">B-001<' in slip.text
    # The slip speaks the visitor's language and links to their status page.
    assert "Számlák és befizetések" in slip.text
    link = re.search(r'data-testid="slip-status-link">[^<]*(/status/[^/<]+/)<', slip.text).group(1)
    assert client.get(link).context["ticket"] == visit.ticket


def test_the_slip_has_no_status_link_without_a_phone_or_email(client, agent, check_in):
    visit = check_in(phone="", email="", name="Kovács Ádám")
    client.force_login(agent)

    slip = client.get(f"/agent/walk-in/visits/{visit.pk}/slip/")

    assert "A-001" in slip.text
    assert "/status/" not in slip.text


def test_a_rejected_check_in_keeps_what_was_typed(client, agent, branch, line_a):
    client.force_login(agent)
    response = client.post(
        f"/agent/walk-in/{branch.slug}/check-in/",
        {"service": line_a.pk, "name": "Nagy Péter", "need": "", "phone": "not a number", "language": "hu"},
    )

    assert response.status_code == 200
    assert "Write what the visitor needs" in response.text
    assert "This is not a phone number we can read." in response.text
    assert 'value="Nagy Péter"' in response.text
    assert Visit.objects.count() == 0


def test_the_front_desk_lists_waiting_visitors_in_the_queue_order(client, agent, branch, check_in, line_b):
    first, second, third = check_in(), check_in(service=line_b), check_in()
    client.force_login(agent)

    response = client.get(f"/agent/walk-in/{branch.slug}/check-in/")

    text = response.text
    assert text.index(first.code) < text.index(second.code) < text.index(third.code)
    assert "3 visitors waiting" in text


def test_front_desk_is_for_agents(client, outsider, branch, line_a, check_in):
    visit = check_in()
    url = f"/agent/walk-in/{branch.slug}/check-in/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"service": line_a.pk, "name": "X", "need": "Y", "language": "en"}).status_code
        == 403
    )
    assert client.get(f"/agent/walk-in/visits/{visit.pk}/slip/").status_code == 403
    assert client.get("/agent/walk-in/").status_code == 403
    assert Visit.objects.count() == 1


# --- two front desks at once -----------------------------------------------------------------

VISITORS_AT_ONCE = 8


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_check_ins_get_different_consecutive_numbers(line_a, agent):
    barrier = threading.Barrier(VISITORS_AT_ONCE)
    errors = []

    def arrive(number):
        try:
            barrier.wait(timeout=10)
            visits.check_in(
                service=line_a, name=f"V{number}", need="Help", phone=f"+36305550{number:03d}", by=agent
            )
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive, args=(number,)) for number in range(VISITORS_AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    numbers = sorted(Visit.objects.values_list("number", flat=True))
    assert numbers == list(range(1, VISITORS_AT_ONCE + 1))


def test_a_visitor_with_a_phone_follows_their_place_in_line_on_the_status_page(client, check_in):
    check_in()
    second = check_in()

    page = client.get(f"/status/{second.ticket.status_token}/")

    assert 'Your place in line: <strong class="fs-4">2</strong>' in page.text


def test_the_front_desk_refreshes_its_line_with_htmx(client, agent, branch, check_in):
    client.force_login(agent)
    check_in()

    response = client.get(f"/agent/walk-in/{branch.slug}/check-in/", headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="line"')
    assert "A-001" in response.text
    assert "Check in a visitor" not in response.text
