"""A theme page explains itself; managers split it, move complaints out, and decide merge proposals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import (
    RecurringComplaint,
    RecurringComplaintRule,
    Theme,
    ThemeEvent,
    ThemeMembership,
    ThemeMergeProposal,
    ThemeSeparation,
)
from feedback.themes import consolidation, separation
from tests.feedback.test_consolidation import BILLING, COURIER

DELIVERY = [
    "A futár nem hozta ki a csomagot",
    "Nem érkezett meg a csomagom, a futár nem jött",
    "A csomagot a futár elvesztette",
]


@pytest.fixture
def billing(make_theme):
    """One theme: five billing complaints and, wrongly among them, three about the courier."""
    return make_theme([*BILLING, *DELIVERY])


def members(theme):
    return list(
        ThemeMembership.objects.filter(theme=theme).order_by("ticket_id").values_list("ticket_id", flat=True)
    )


def test_the_theme_page_says_why_the_complaints_are_together(client, manager, make_theme):
    theme = make_theme(BILLING)
    client.force_login(manager)

    page = client.get(theme.get_absolute_url()).content.decode()

    assert 'data-testid="explanation"' in page
    words = page.split('data-testid="shared-words"')[1].split("</ul>")[0]
    assert "terhelték" in words
    assert "kártyámat" in words
    assert "the" not in words.split()
    central = page.split('data-testid="central-examples"')[1].split("</ol>")[0]
    assert central.count("<li") == 3


def test_one_customers_own_words_do_not_explain_a_theme(client, manager, make_theme):
    theme = make_theme(
        ["Hibás a számlám, Kowalczyk Ágnes", "Hibás a számlám, Kowalczyk Ágnes"], customers=["agnes", "agnes"]
    )
    client.force_login(manager)
    page = client.get(theme.get_absolute_url()).content.decode()
    assert 'data-testid="shared-words"' not in page
    assert "No words shared by the complaints of two customers yet." in page


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_explained_page_costs_the_same_for_a_large_theme(client, manager, make_theme):
    RecurringComplaintRule.current()
    small = make_theme(DELIVERY)
    RecurringComplaint.raise_for(small)
    client.force_login(manager)
    few = query_count(client, small.get_absolute_url())

    large = make_theme(BILLING * 4)
    RecurringComplaint.raise_for(large)
    make_theme(BILLING[:2])
    consolidation.consolidate()
    separation.hand_over(large, members(large)[:2], to=None, by=manager)
    assert ThemeMergeProposal.objects.pending().involving(large).exists()
    assert large.events.count() == 2

    assert query_count(client, large.get_absolute_url()) == few


# --- split and move ----------------------------------------------------------------------


def test_manager_splits_the_couriers_off_into_a_new_theme(client, manager, billing):
    couriers = members(billing)[5:]
    client.force_login(manager)

    response = client.post(
        f"/manage/themes/{billing.pk}/move/",
        {"tickets": couriers, "destination": "", "title": "Courier", "note": "Not about billing"},
    )

    assert response.status_code == 302
    new = Theme.objects.exclude(pk=billing.pk).get()
    assert (new.title, new.size, members(new)) == ("Courier", 3, couriers)
    billing.refresh_from_db()
    assert billing.size == 5
    assert new.category_id == billing.category_id
    # Of its first complaint's language, as a theme the grouping starts.
    assert new.language == billing.language == "hu"
    assert set(billing.centroid) != set(new.centroid)
    event = ThemeEvent.objects.get(theme=billing)
    assert (event.kind, event.other_theme, event.actor, event.complaints, event.note) == (
        ThemeEvent.Kind.SPLIT_OFF,
        new,
        manager,
        3,
        "Not about billing",
    )
    assert len(event.tickets) == 3
    assert ThemeEvent.objects.get(theme=new).kind == ThemeEvent.Kind.SPLIT_FROM
    page = client.get(billing.get_absolute_url()).content.decode()
    history = page.split('data-testid="theme-history"')[1].split("</section>")[0]
    assert "Complaints split off into a new theme" in history
    assert "Courier" in history
    assert "Marek" in history
    assert event.tickets[0] in history
    # Kept apart: consolidation does not bring them back.
    assert ThemeSeparation.objects.between(billing, new).exists()


def test_split_complaints_are_not_pulled_back_by_consolidation(client, manager, make_theme):
    theme = make_theme(BILLING)
    client.force_login(manager)
    # The same words: without the separation they would merge straight back.
    client.post(f"/manage/themes/{theme.pk}/move/", {"tickets": members(theme)[3:], "destination": ""})

    outcome = consolidation.consolidate()

    assert (outcome.merged, outcome.proposed) == (0, 0)
    assert Theme.objects.active().count() == 2


def test_manager_moves_one_complaint_into_a_nearby_theme(client, manager, make_theme):
    target = make_theme(DELIVERY[:2])
    theme = make_theme([*BILLING[:3], DELIVERY[2]])
    stray = members(theme)[3]
    client.force_login(manager)
    page = client.get(theme.get_absolute_url()).content.decode()
    assert f'<option value="{target.pk}">' in page

    response = client.post(f"/manage/themes/{theme.pk}/move/", {"tickets": [stray], "destination": target.pk})

    assert response.status_code == 302
    target.refresh_from_db()
    theme.refresh_from_db()
    assert (target.size, theme.size) == (3, 3)
    assert stray in members(target)
    assert ThemeEvent.objects.get(theme=theme).kind == ThemeEvent.Kind.MOVED_OUT
    assert ThemeEvent.objects.get(theme=target).kind == ThemeEvent.Kind.MOVED_IN
    assert ThemeSeparation.objects.between(theme, target).get().reason == "moved"


def test_a_move_without_complaints_keeps_what_was_typed(client, manager, billing):
    client.force_login(manager)
    response = client.post(
        f"/manage/themes/{billing.pk}/move/", {"destination": "", "title": "Futárok", "note": "Nem számla"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tick the complaints to move" in content
    assert 'value="Futárok"' in content
    assert "Nem számla" in content
    assert Theme.objects.count() == 1


def test_a_rejected_move_keeps_the_ticked_complaints(client, manager, billing):
    client.force_login(manager)
    ticked = members(billing)[:2]
    response = client.post(
        f"/manage/themes/{billing.pk}/move/", {"tickets": ticked, "destination": "999999", "title": "x"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert content.count(" checked>") == 2
    for ticket in ticked:
        assert f'value="{ticket}" form="hand-over"' in content


def test_a_complaint_of_another_theme_cannot_be_moved_from_this_one(client, manager, billing, make_theme):
    other = make_theme(COURIER, language="pl")
    client.force_login(manager)
    response = client.post(f"/manage/themes/{billing.pk}/move/", {"tickets": members(other)[:1]})
    assert response.status_code == 400
    assert Theme.objects.get(pk=other.pk).size == 3


def test_a_complaint_moved_a_moment_ago_is_not_moved_twice(client, manager, other_manager, billing):
    couriers = members(billing)[5:]
    client.force_login(other_manager)
    client.post(f"/manage/themes/{billing.pk}/move/", {"tickets": couriers})
    client.force_login(manager)

    # Marek's page was loaded before Zofia moved them.
    response = client.post(f"/manage/themes/{billing.pk}/move/", {"tickets": couriers, "title": "Courier"})

    assert response.status_code == 400
    assert Theme.objects.count() == 2
    assert ThemeEvent.objects.filter(kind=ThemeEvent.Kind.SPLIT_OFF).count() == 1


def test_a_theme_keeps_at_least_one_complaint(client, manager, make_theme):
    theme = make_theme(DELIVERY)
    client.force_login(manager)
    response = client.post(f"/manage/themes/{theme.pk}/move/", {"tickets": members(theme), "title": "All"})
    assert response.status_code == 409
    assert "Leave at least one complaint in this theme." in response.content.decode()
    assert 'value="All"' in response.content.decode()
    assert Theme.objects.count() == 1


def test_a_merged_theme_cannot_be_split(client, manager, make_theme):
    kept = make_theme(BILLING[:3])
    gone = make_theme(BILLING[3:])
    consolidation.consolidate()
    gone.refresh_from_db()
    assert gone.merged_into == kept
    client.force_login(manager)
    page = client.get(gone.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="merged-into"' in page.content.decode()
    assert 'id="hand-over"' not in page.content.decode()
    theme_list = client.get("/manage/themes/").content.decode()
    assert kept.get_absolute_url() in theme_list
    assert gone.get_absolute_url() not in theme_list
    response = client.post(f"/manage/themes/{gone.pk}/move/", {"tickets": members(kept)[:1]})
    assert response.status_code == 302
    assert Theme.objects.get(pk=kept.pk).size == 5


def test_only_managers_split_or_move(client, agent, outsider, billing):
    url = f"/manage/themes/{billing.pk}/move/"
    data = {"tickets": members(billing)[5:]}
    assert client.post(url, data).status_code == 302  # to the login page
    for user in (agent, outsider):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert Theme.objects.count() == 1


def test_a_move_needs_post(client, manager, billing):
    client.force_login(manager)
    assert client.get(f"/manage/themes/{billing.pk}/move/").status_code == 405
    assert client.post("/manage/themes/999999/move/", {"tickets": [1]}).status_code == 404


# --- merge proposals ---------------------------------------------------------------------


@pytest.fixture
def proposal(make_theme):
    escalated = make_theme(BILLING[:2])
    RecurringComplaint.raise_for(escalated)
    make_theme(BILLING[2:])
    consolidation.consolidate()
    return ThemeMergeProposal.objects.get()


def test_the_proposals_page_shows_the_evidence(client, manager, proposal):
    client.force_login(manager)
    page = client.get("/manage/themes/merges/").content.decode()
    assert f'data-proposal="{proposal.pk}"' in page
    assert "Similarity" in page
    assert "3 complaints would join" in page
    assert "2 complaints in the escalated theme" in page
    assert 'data-testid="proposal-words"' in page
    for ticket in proposal.evidence["kept_examples"] + proposal.evidence["absorbed_examples"]:
        from helpdesk.models import Ticket

        assert Ticket.objects.get(pk=ticket).reference in page
    theme_page = client.get(proposal.absorbed.get_absolute_url()).content.decode()
    assert 'data-testid="merge-proposal"' in theme_page
    escalations = client.get("/manage/escalations/").content.decode()
    assert 'data-testid="merge-proposals-link"' in escalations


def test_manager_accepts_a_proposal(client, manager, proposal):
    client.force_login(manager)
    response = client.post(f"/manage/themes/merges/{proposal.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == proposal.kept.get_absolute_url()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("accepted", manager)
    assert Theme.objects.get(pk=proposal.absorbed_id).merged_into_id == proposal.kept_id
    assert ThemeEvent.objects.filter(kind=ThemeEvent.Kind.ABSORBED, actor=manager).count() == 1
    decided = client.get("/manage/themes/merges/").content.decode()
    assert 'data-testid="no-proposals"' in decided
    assert "Merged" in decided.split('data-testid="decided-proposals"')[1]


def test_manager_declines_a_proposal(client, manager, proposal):
    client.force_login(manager)
    response = client.post(f"/manage/themes/merges/{proposal.pk}/decline/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("declined", manager)
    assert Theme.objects.active().count() == 2
    assert ThemeEvent.objects.filter(kind=ThemeEvent.Kind.MERGE_DECLINED).count() == 2


def test_a_proposal_is_decided_once(client, manager, other_manager, proposal):
    client.force_login(other_manager)
    client.post(f"/manage/themes/merges/{proposal.pk}/decline/")
    client.force_login(manager)
    response = client.post(f"/manage/themes/merges/{proposal.pk}/accept/")
    assert response.status_code == 409
    assert "Already decided by Zofia" in response.content.decode()
    assert client.post(f"/manage/themes/merges/{proposal.pk}/decline/").status_code == 409
    assert Theme.objects.active().count() == 2


def test_a_pair_kept_apart_since_the_proposal_is_not_merged(client, manager, proposal):
    ThemeSeparation.objects.keep_apart(
        proposal.kept, proposal.absorbed, reason=ThemeSeparation.Reason.MOVED, by=manager
    )
    client.force_login(manager)
    response = client.post(f"/manage/themes/merges/{proposal.pk}/accept/")
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_only_managers_see_and_decide_proposals(client, agent, proposal):
    urls = [f"/manage/themes/merges/{proposal.pk}/accept/", f"/manage/themes/merges/{proposal.pk}/decline/"]
    assert client.get("/manage/themes/merges/").status_code == 302
    for url in urls:
        assert client.post(url).status_code == 302
    client.force_login(agent)
    assert client.get("/manage/themes/merges/").status_code == 403
    for url in urls:
        assert client.post(url).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_proposal_decisions_need_post(client, manager, proposal):
    client.force_login(manager)
    assert client.get(f"/manage/themes/merges/{proposal.pk}/accept/").status_code == 405
    assert client.post("/manage/themes/merges/999999/accept/").status_code == 404


def test_the_proposals_page_costs_the_same_for_more_proposals(client, manager, proposal, make_theme):
    client.force_login(manager)
    one = query_count(client, "/manage/themes/merges/")
    escalated = make_theme(COURIER, language="pl")
    RecurringComplaint.raise_for(escalated)
    make_theme(COURIER, language="pl")
    consolidation.consolidate()
    assert ThemeMergeProposal.objects.count() == 2
    assert query_count(client, "/manage/themes/merges/") == one


def test_erasure_removes_what_the_manager_wrote_about_a_moved_complaint(client, manager, billing):
    from feedback import personal_data
    from helpdesk.models import Ticket

    stray = members(billing)[5]
    client.force_login(manager)
    client.post(f"/manage/themes/{billing.pk}/move/", {"tickets": [stray], "note": "Kovács úr futárja"})
    client.post(f"/manage/themes/{billing.pk}/move/", {"tickets": members(billing)[5:6], "note": "Más ügy"})

    counts = personal_data.erase_request(Ticket.objects.get(pk=stray))

    # Both records of that move lose the note; the other move's stay, and so do all four rows.
    assert counts["theme change notes"] == 2
    assert list(ThemeEvent.objects.exclude(note="").values_list("note", flat=True)) == ["Más ügy", "Más ügy"]
    assert ThemeEvent.objects.filter(actor=manager).count() == 4
