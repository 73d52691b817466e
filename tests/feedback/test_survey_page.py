"""The customer's survey page: no login, opening records nothing, the POST answers once."""

import pytest
from django.core import mail
from django.test import Client

from feedback.models import Survey, SurveyOptOut
from helpdesk.models import Ticket, TicketEntry

pytestmark = pytest.mark.django_db


def url(survey, suffix=""):
    return f"/survey/{survey.token}/{suffix}"


def test_unknown_token_is_404(client, db):
    assert client.get("/survey/not-a-real-token/").status_code == 404


def test_a_survey_not_sent_yet_is_404(client, resolved_ticket):
    from feedback.surveys import scheduling

    scheduling.schedule_surveys()
    assert client.get(url(Survey.objects.get())).status_code == 404


def test_opening_the_link_records_nothing_even_with_a_rating(client, sent_survey):
    entries_before = sent_survey.ticket.entries.count()

    response = client.get(url(sent_survey) + "?rating=4")

    assert response.status_code == 200
    sent_survey.refresh_from_db()
    assert sent_survey.status == Survey.Status.SENT
    assert sent_survey.rating is None
    assert sent_survey.ticket.entries.count() == entries_before


def test_preselected_rating_is_checked(client, sent_survey):
    page = client.get(url(sent_survey) + "?rating=2").content.decode()
    checked = [line for line in page.splitlines() if "checked" in line and 'name="rating"' in line]
    assert len(checked) == 1
    assert 'value="2"' in checked[0]
    out_of_range = client.get(url(sent_survey) + "?rating=9")
    assert out_of_range.status_code == 200
    assert "checked" not in out_of_range.content.decode()


def test_customer_answers_once_and_then_sees_thank_you(client, sent_survey):
    response = client.post(url(sent_survey), {"rating": "5", "solved": "yes", "comment": "Quick and kind."})

    assert response.status_code == 302
    assert response["Location"] == url(sent_survey, "thanks/")
    sent_survey.refresh_from_db()
    assert (sent_survey.status, sent_survey.rating, sent_survey.solved) == ("answered", 5, True)
    assert sent_survey.comment == "Quick and kind."
    assert not sent_survey.needs_review
    note = sent_survey.ticket.entries.filter(kind=TicketEntry.Kind.NOTE).last()
    assert "5" in note.body
    assert not note.is_public
    assert "glad we could help" in client.get(url(sent_survey, "thanks/")).content.decode()

    # The link works once: afterwards it says thank you, and a second POST changes nothing.
    again = client.get(url(sent_survey))
    assert "already been answered" in again.content.decode()
    client.post(url(sent_survey), {"rating": "1", "solved": "no"})
    sent_survey.refresh_from_db()
    assert sent_survey.rating == 5


def test_the_thank_you_page_leads_to_the_request_s_status_page(client, sent_survey):
    client.post(url(sent_survey), {"rating": "5", "solved": "yes"})
    thanks = client.get(url(sent_survey, "thanks/"))
    assert f'action="{url(sent_survey, "request/")}"' in thanks.content.decode()

    # Only hashes of status links are stored: the way there is a link drawn now, by POST.
    response = client.post(url(sent_survey, "request/"))

    assert response.status_code == 302
    assert sent_survey.ticket.reference in client.get(response["Location"]).content.decode()
    assert client.get(url(sent_survey, "request/")).status_code == 405
    assert client.post("/survey/not-a-real-token/request/").status_code == 404


def test_not_solved_reopens_the_ticket_and_tells_its_agent(
    client, sent_survey, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(sent_survey), {"rating": "3", "solved": "no", "comment": "Charged again."})

    ticket = Ticket.objects.get(pk=sent_survey.ticket_id)
    assert ticket.status == Ticket.Status.OPEN
    assert [message.to for message in mail.outbox] == [[agent.email]]
    assert "Charged again." in mail.outbox[0].body
    thanks = client.get(url(sent_survey, "thanks/")).content.decode()
    assert "reopened your request" in thanks


def test_low_rating_goes_on_the_managers_review_list(client, sent_survey, manager):
    client.post(url(sent_survey), {"rating": "2", "solved": "yes"})
    sent_survey.refresh_from_db()
    assert sent_survey.needs_review

    client.force_login(manager)
    page = client.get("/manage/surveys/review/")
    assert page.status_code == 200
    assert sent_survey.ticket.reference in page.content.decode()

    refused = client.post(f"/manage/surveys/{sent_survey.pk}/reviewed/", {"note": ""})
    assert refused.status_code == 400
    client.post(f"/manage/surveys/{sent_survey.pk}/reviewed/", {"note": "Called her, refunded the fee."})
    sent_survey.refresh_from_db()
    assert sent_survey.reviewed_by == manager
    assert sent_survey.ticket.reference not in client.get("/manage/surveys/review/").content.decode()


def test_compensation_question_only_when_flagged_and_not_received_goes_to_review(client, sent_survey):
    assert "compensation_received" not in client.get(url(sent_survey)).content.decode()
    Survey.objects.filter(pk=sent_survey.pk).update(asks_about_compensation=True)

    page = client.get(url(sent_survey)).content.decode()
    assert 'name="compensation_received"' in page
    missing = client.post(url(sent_survey), {"rating": "4", "solved": "yes"})
    assert missing.status_code == 400

    client.post(url(sent_survey), {"rating": "4", "solved": "yes", "compensation_received": "no"})
    sent_survey.refresh_from_db()
    assert sent_survey.compensation_received == "no"
    assert sent_survey.needs_review


def test_incomplete_answer_keeps_what_was_typed(client, sent_survey):
    response = client.post(url(sent_survey), {"rating": "4", "comment": "Half an answer"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Half an answer" in page
    assert "Please tell us whether your problem was solved." in page
    sent_survey.refresh_from_db()
    assert sent_survey.status == Survey.Status.SENT


def test_opt_out_page_asks_first_then_records_on_post(client, sent_survey):
    assert client.get(url(sent_survey, "opt-out/")).status_code == 200
    assert not SurveyOptOut.objects.exists()

    response = client.post(url(sent_survey, "opt-out/"))

    assert response.status_code == 200
    assert SurveyOptOut.objects.get().customer == sent_survey.customer
    assert "already opted out" in client.get(url(sent_survey, "opt-out/")).content.decode()


def test_one_click_unsubscribe_needs_no_csrf_token_but_a_post(sent_survey):
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(url(sent_survey, "unsubscribe/")).status_code == 405
    assert not SurveyOptOut.objects.exists()

    response = mail_program.post(url(sent_survey, "unsubscribe/"), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 204
    assert SurveyOptOut.objects.get().via == SurveyOptOut.Via.ONE_CLICK


def test_opt_out_form_needs_csrf(sent_survey):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url(sent_survey, "opt-out/")).status_code == 403
    assert not SurveyOptOut.objects.exists()


def test_review_list_is_for_managers(client, agent, db):
    assert client.get("/manage/surveys/review/").status_code == 302
    client.force_login(agent)
    assert client.get("/manage/surveys/review/").status_code == 403


def test_manager_sets_a_queues_survey_timing(client, manager, queue):
    client.force_login(manager)
    assert "General" in client.get("/manage/surveys/settings/").content.decode()

    bad = client.post(
        f"/manage/surveys/settings/{queue.pk}/",
        {"is_enabled": "on", "delay_days": "45", "reminder_days": "3", "quiet_days": "30"},
    )
    assert bad.status_code == 400
    client.post(
        f"/manage/surveys/settings/{queue.pk}/",
        {"is_enabled": "on", "delay_days": "1", "reminder_days": "0", "quiet_days": "60"},
    )
    settings = queue.survey_settings
    assert (settings.delay_days, settings.reminder_days, settings.quiet_days) == (1, 0, 60)
