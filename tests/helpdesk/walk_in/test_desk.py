"""The desk: call next in the one queue order, call again, no-show, finish, send to another line."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from helpdesk.models import Desk, InvalidTransition, Priority, StaffProfile, Ticket, TicketEntry, Visit
from helpdesk.queue import line
from helpdesk.walk_in import visits
from tests.helpdesk.walk_in.conftest import OPEN_MORNING

pytestmark = pytest.mark.usefixtures("open_morning")


def arrive(open_morning, minutes, check_in, **arguments):
    open_morning.move_to(OPEN_MORNING + timedelta(minutes=minutes))
    return check_in(**arguments)


def test_call_next_follows_the_one_queue_order_across_the_desks_lines(
    check_in, desk, agent, line_b, open_morning
):
    first = arrive(open_morning, 0, check_in)
    second = arrive(open_morning, 5, check_in, service=line_b)
    urgent = arrive(open_morning, 10, check_in)
    urgent.ticket.change_priority(Priority.URGENT, by=agent)

    called = []
    for _ in range(4):
        visit = visits.call_next(desk, agent=agent)
        called.append(visit.code if visit else None)
        if visit:
            visit.finish(by=agent, solved=True)

    assert called == [urgent.code, first.code, second.code, None]


def test_call_next_shows_the_number_at_this_desk_and_takes_the_ticket(client, check_in, desk, agent):
    visit = check_in()
    client.force_login(agent)

    response = client.post(f"/agent/walk-in/desks/{desk.pk}/call-next/", follow=True)

    visit.refresh_from_db()
    assert (visit.state, visit.desk, visit.called_at is not None) == (Visit.State.CALLED, desk, True)
    assert visit.ticket.assignee == agent
    assert not visit.ticket.is_in_line
    assert 'data-testid="called-number">A-001<' in response.text
    assert visit.ticket.entries.filter(event=TicketEntry.Event.WALK_IN_CALLED).exists()


def test_a_desk_calls_only_from_its_own_lines(check_in, branch, line_a, line_b, other_agent):
    payments = Desk.objects.create(branch=branch, label="3")
    payments.services.set([line_b])
    payments.sit_down(other_agent)
    check_in()
    in_b = check_in(service=line_b)

    called = visits.call_next(payments, agent=other_agent)
    assert called == in_b
    called.finish(by=other_agent, solved=True)
    assert visits.call_next(payments, agent=other_agent) is None


def test_a_desk_serves_one_visitor_at_a_time(check_in, desk, agent):
    check_in()
    check_in()
    visits.call_next(desk, agent=agent)

    with pytest.raises(InvalidTransition):
        visits.call_next(desk, agent=agent)


def test_only_the_agent_at_the_desk_calls_from_it(client, check_in, desk, other_agent):
    check_in()
    client.force_login(other_agent)

    response = client.post(f"/agent/walk-in/desks/{desk.pk}/call-next/", follow=True)

    assert "Sit down at this desk" in response.text
    assert Visit.objects.get().state == Visit.State.WAITING


def test_an_agent_on_a_break_calls_nobody(client, check_in, desk, agent):
    check_in()
    StaffProfile.objects.for_user(agent).take_break(5)
    client.force_login(agent)

    response = client.post(f"/agent/walk-in/desks/{desk.pk}/call-next/", follow=True)

    assert "on a break or away" in response.text
    assert Visit.objects.get().state == Visit.State.WAITING


def test_take_next_on_the_queue_page_leaves_walk_in_visitors_to_the_desks(check_in, agent):
    check_in()
    assert line.take_next(agent) is None


def test_yesterdays_visitors_still_waiting_are_never_called(check_in, desk, agent, open_morning):
    yesterday = check_in()
    open_morning.move_to(OPEN_MORNING + timedelta(days=1))
    today = check_in()

    assert visits.call_next(desk, agent=agent) == today
    yesterday.refresh_from_db()
    assert yesterday.state == Visit.State.EXPIRED
    assert yesterday.ticket.status == Ticket.Status.CLOSED


# --- recall, no-show, finish -------------------------------------------------------------------


def test_recall_calls_the_number_again(client, check_in, desk, agent):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)

    client.post(f"/agent/walk-in/visits/{visit.pk}/recall/")

    visit.refresh_from_db()
    assert (visit.recall_count, visit.recalled_at is not None) == (1, True)
    assert visit.ticket.entries.filter(event=TicketEntry.Event.WALK_IN_RECALLED, is_public=False).exists()


def test_calling_again_says_so_on_the_desk_page(client, check_in, desk, agent):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)

    response = client.post(f"/agent/walk-in/visits/{visit.pk}/recall/", follow=True)

    assert response.status_code == 200
    assert "A-001 called again: the lobby screen shows the number once more." in response.text


def test_leaving_the_desk_says_so_and_frees_it(client, desk, agent):
    client.force_login(agent)

    response = client.post(f"/agent/walk-in/desks/{desk.pk}/leave/", follow=True)

    assert response.status_code == 200
    assert "You left desk 1. No visitor is called to it until someone sits there." in response.text
    desk.refresh_from_db()
    assert desk.agent is None


def test_no_show_only_after_a_recall_and_it_closes_the_request(client, check_in, desk, agent):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)

    refused = client.post(f"/agent/walk-in/visits/{visit.pk}/no-show/", follow=True)
    assert "Call the number again before" in refused.text
    visit.refresh_from_db()
    assert visit.state == Visit.State.CALLED

    client.post(f"/agent/walk-in/visits/{visit.pk}/recall/")
    client.post(f"/agent/walk-in/visits/{visit.pk}/no-show/")

    visit.refresh_from_db()
    assert visit.state == Visit.State.NO_SHOW
    assert visit.ticket.status == Ticket.Status.CLOSED
    events = list(visit.ticket.entries.filter(kind="event").values_list("event", flat=True))
    assert events[-2:] == [TicketEntry.Event.WALK_IN_NO_SHOW, TicketEntry.Event.STATUS_CHANGED]


def test_finish_marks_the_call_as_the_first_answer_and_resolves_when_solved(
    client, check_in, desk, agent, open_morning
):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    open_morning.move_to(OPEN_MORNING + timedelta(minutes=12))
    client.force_login(agent)

    client.post(f"/agent/walk-in/visits/{visit.pk}/finish/", {"solved": "on"})

    visit.refresh_from_db()
    ticket = visit.ticket
    assert visit.state == Visit.State.SERVED
    assert ticket.first_responded_at == visit.called_at
    assert (ticket.status, ticket.solved_on_first_contact) == (Ticket.Status.RESOLVED, True)


def test_finish_without_solving_keeps_the_request_with_the_agent(client, check_in, desk, agent):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)

    client.post(f"/agent/walk-in/visits/{visit.pk}/finish/")

    visit.ticket.refresh_from_db()
    assert visit.ticket.is_open
    assert visit.ticket.assignee == agent


def test_another_agent_cannot_press_the_buttons_of_my_visitor(client, check_in, desk, agent, other_agent):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(other_agent)

    for action in ("recall", "no-show", "finish"):
        assert client.post(f"/agent/walk-in/visits/{visit.pk}/{action}/").status_code == 404
    visit.refresh_from_db()
    assert (visit.state, visit.recall_count) == (Visit.State.CALLED, 0)


def test_desk_actions_are_post_only_and_for_agents(client, check_in, desk, agent, outsider):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)
    assert client.get(f"/agent/walk-in/visits/{visit.pk}/recall/").status_code == 405
    assert client.get(f"/agent/walk-in/desks/{desk.pk}/call-next/").status_code == 405
    client.force_login(outsider)
    for url in (
        f"/agent/walk-in/desks/{desk.pk}/",
        f"/agent/walk-in/desks/{desk.pk}/call-next/",
        f"/agent/walk-in/visits/{visit.pk}/recall/",
        f"/agent/walk-in/visits/{visit.pk}/transfer/",
        f"/agent/walk-in/visits/{visit.pk}/left/",
    ):
        assert client.post(url).status_code in (403, 405), url
        assert client.get(url).status_code in (403, 405), url
    client.logout()
    assert client.post(f"/agent/walk-in/visits/{visit.pk}/recall/").status_code == 302


# --- transfer ----------------------------------------------------------------------------------


def test_transfer_keeps_the_visitors_place_by_arrival(client, check_in, desk, agent, line_b, open_morning):
    early = arrive(open_morning, 0, check_in)
    arrive(open_morning, 5, check_in, service=line_b)
    arrive(open_morning, 10, check_in, service=line_b)
    visit = visits.call_next(desk, agent=agent)
    assert visit == early
    key_before = early.ticket.queue_key
    client.force_login(agent)

    client.post(f"/agent/walk-in/visits/{visit.pk}/transfer/", {"service": line_b.pk})

    visit.refresh_from_db()
    ticket = visit.ticket
    assert (visit.state, visit.service, visit.desk, visit.code) == (
        Visit.State.WAITING,
        line_b,
        None,
        "A-001",
    )
    assert (ticket.queue, ticket.assignee, ticket.queue_key) == (line_b.queue, None, key_before)
    assert line.position(ticket) == 1  # ahead of the two who came later
    assert ticket.entries.filter(event=TicketEntry.Event.WALK_IN_TRANSFERRED).exists()
    assert visits.waiting_visits(desk.branch, services=[line_b]).first() == visit


def test_a_waiting_visitor_can_be_sent_to_another_line_from_the_front_desk(
    client, check_in, other_agent, line_b
):
    visit = check_in()
    client.force_login(other_agent)

    response = client.post(f"/agent/walk-in/visits/{visit.pk}/transfer/", {"service": line_b.pk})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.service == line_b


def test_transfer_to_the_same_line_is_refused(client, check_in, desk, agent, line_a):
    check_in()
    visit = visits.call_next(desk, agent=agent)
    client.force_login(agent)

    response = client.post(f"/agent/walk-in/visits/{visit.pk}/transfer/", {"service": line_a.pk}, follow=True)

    assert "Choose the line" in response.text
    visit.refresh_from_db()
    assert visit.state == Visit.State.CALLED


# --- two desks at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_desks_calling_at_once_call_different_visitors(check_in, desk, other_desk, agent, other_agent):
    check_in()
    check_in()
    barrier = threading.Barrier(2)
    called, errors = {}, []

    def press(desk, agent):
        try:
            barrier.wait(timeout=10)
            called[desk.pk] = visits.call_next(desk, agent=agent)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=pair) for pair in ((desk, agent), (other_desk, other_agent))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert {visit.code for visit in called.values()} == {"A-001", "A-002"}


def test_a_visitor_following_their_status_page_sees_when_they_are_called(client, check_in, desk, agent):
    visit = check_in()
    visits.call_next(desk, agent=agent)

    page = client.get(f"/status/{visit.ticket.status_token}/")

    assert "Your number A-001 was called to desk 1." in page.text


def test_the_desk_page_refreshes_its_line_with_htmx(client, check_in, desk, agent):
    client.force_login(agent)
    check_in()

    response = client.get(f"/agent/walk-in/desks/{desk.pk}/", headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<ol class="list-group list-group-numbered" id="next-up"')
    assert "A-001" in response.text


def test_a_visitor_who_leaves_before_being_called_leaves_the_line(client, check_in, other_agent):
    leaving, staying = check_in(), check_in()
    client.force_login(other_agent)

    front_desk = client.get(f"/agent/walk-in/{leaving.branch.slug}/check-in/").text
    assert ">A-001 left the line without being served</button>" in front_desk

    response = client.post(f"/agent/walk-in/visits/{leaving.pk}/left/", follow=True)

    assert "A-001 left before being called" in response.text
    leaving.refresh_from_db()
    assert (leaving.state, leaving.ticket.status) == (Visit.State.EXPIRED, Ticket.Status.CLOSED)
    assert visits.waiting_visits(leaving.branch).get() == staying
    assert client.post(f"/agent/walk-in/visits/{leaving.pk}/left/", follow=True).status_code == 200
    assert Ticket.objects.filter(status=Ticket.Status.CLOSED).count() == 1


def test_the_walk_in_page_shows_todays_figures_per_branch(client, check_in, desk, agent, open_morning):
    for _ in range(3):
        check_in()
    open_morning.move_to(OPEN_MORNING + timedelta(minutes=10))
    served = visits.call_next(desk, agent=agent)
    served.finish(by=agent, solved=True)
    missed = visits.call_next(desk, agent=agent)
    missed.recall(by=agent)
    missed.mark_no_show(by=agent)
    client.force_login(agent)

    response = client.get("/agent/walk-in/")

    figures = response.text.split('data-testid="today-vaci"')[1].split("</p>")[0]
    assert "1 waiting, 1 served, 1 did not come" in " ".join(figures.split())
    assert "average wait 10 minutes" in figures
