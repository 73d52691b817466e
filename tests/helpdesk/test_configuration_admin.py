"""Managers configure calendars, queues, SLA targets and categories in the administration."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.models import BusinessCalendar, Category, Priority, Queue, SlaTarget

BUDAPEST = ZoneInfo("Europe/Budapest")
CONFIGURED = ["businesscalendar", "queue", "category"]


@pytest.fixture
def staff_manager(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    return manager


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def sla_rows(targets):
    data = management_form("sla_targets", len(targets))
    for index, (priority, first, resolution) in enumerate(targets):
        data |= {
            f"sla_targets-{index}-priority": str(priority),
            f"sla_targets-{index}-first_response": first,
            f"sla_targets-{index}-resolution": resolution,
        }
    return data


ALL_TARGETS = [
    (Priority.URGENT, "01:00:00", "08:00:00"),
    (Priority.HIGH, "04:00:00", "16:00:00"),
    (Priority.NORMAL, "08:00:00", "40:00:00"),
    (Priority.LOW, "16:00:00", "80:00:00"),
]


@pytest.mark.parametrize("model", CONFIGURED)
@pytest.mark.parametrize("page", ["", "add/"])
def test_manager_opens_each_configuration_page(client, staff_manager, queue, category, model, page):
    client.force_login(staff_manager)

    assert client.get(f"/admin/helpdesk/{model}/{page}").status_code == 200


@pytest.mark.parametrize("model", CONFIGURED)
def test_manager_opens_each_change_form(client, staff_manager, queue, category, model):
    pk = {"businesscalendar": queue.calendar_id, "queue": queue.pk, "category": category.pk}[model]
    client.force_login(staff_manager)

    assert client.get(f"/admin/helpdesk/{model}/{pk}/change/").status_code == 200


@pytest.mark.parametrize("model", CONFIGURED)
def test_agent_cannot_open_the_configuration(client, agent, model):
    client.force_login(agent)

    response = client.get(f"/admin/helpdesk/{model}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", CONFIGURED)
def test_agent_with_admin_access_is_still_refused(client, agent, model):
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    client.force_login(agent)

    response = client.get(f"/admin/helpdesk/{model}/add/")

    # The admin lets in managers and superusers only: an agent is sent to its sign-in page.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_calendar_page_lists_the_next_holidays_and_bridge_working_days(
    client, staff_manager, budapest_calendar
):
    client.force_login(staff_manager)

    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=BUDAPEST), tick=False):
        html = client.get(
            f"/admin/helpdesk/businesscalendar/{budapest_calendar.pk}/change/",
            headers={"accept-language": "en"},
        ).content.decode()

    assert "Saturday 8 August 2026 · Working day instead of 21 Aug 2026" in html
    assert "Thursday 20 August 2026 · State Foundation Day" in html
    assert "Friday 25 December 2026 · Christmas Day" in html


def test_overlapping_opening_hours_are_explained(client, staff_manager):
    client.force_login(staff_manager)
    data = {
        "name": "Debrecen",
        "country": "HU",
        "time_zone": "Europe/Budapest",
        **management_form("opening_hours", 2),
        "opening_hours-0-weekday": "0",
        "opening_hours-0-opens": "08:00",
        "opening_hours-0-closes": "12:00",
        "opening_hours-1-weekday": "0",
        "opening_hours-1-opens": "11:00",
        "opening_hours-1-closes": "17:00",
        **management_form("closures", 0),
    }

    response = client.post("/admin/helpdesk/businesscalendar/add/", data, headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "The hours on Monday overlap" in response.content.decode()
    assert 'value="Debrecen"' in response.content.decode()
    assert not BusinessCalendar.objects.filter(name="Debrecen").exists()


def test_calendar_with_unknown_time_zone_or_backwards_closure_is_explained(client, staff_manager):
    client.force_login(staff_manager)
    data = {
        "name": "Kraków",
        "country": "PL",
        "time_zone": "Europe/Krakow",
        **management_form("opening_hours", 0),
        **management_form("closures", 1),
        "closures-0-starts_at_0": "2026-06-10",
        "closures-0-starts_at_1": "12:00",
        "closures-0-ends_at_0": "2026-06-10",
        "closures-0-ends_at_1": "09:00",
        "closures-0-reason": "Training",
    }

    html = client.post(
        "/admin/helpdesk/businesscalendar/add/", data, headers={"accept-language": "en"}
    ).content.decode()

    assert "Unknown time zone." in html
    assert "A closure must end after it starts" in html


def test_new_queue_is_offered_all_four_priorities_with_default_targets(
    client, staff_manager, budapest_calendar
):
    client.force_login(staff_manager)

    html = client.get("/admin/helpdesk/queue/add/").content.decode()

    assert html.count('name="sla_targets-') >= 12
    assert 'name="sla_targets-TOTAL_FORMS" value="4"' in html
    assert 'value="01:00:00"' in html


def test_manager_creates_a_queue_with_its_targets(client, staff_manager, budapest_calendar, agent):
    client.force_login(staff_manager)
    data = {
        "name": "Számlázás",
        "slug": "szamlazas",
        "language": "hu",
        "calendar": budapest_calendar.pk,
        "manager": staff_manager.pk,
        "members": [agent.pk],
        **sla_rows(ALL_TARGETS),
    }

    response = client.post("/admin/helpdesk/queue/add/", data)

    assert response.status_code == 302
    queue = Queue.objects.get(slug="szamlazas")
    assert list(queue.members.all()) == [agent]
    assert queue.sla_for(Priority.LOW).resolution == timedelta(hours=80)
    assert queue.sla_targets.count() == 4


def test_queue_without_every_priority_is_explained_and_keeps_what_was_typed(
    client, staff_manager, budapest_calendar
):
    client.force_login(staff_manager)
    data = {
        "name": "Half configured",
        "slug": "half",
        "calendar": budapest_calendar.pk,
        "manager": staff_manager.pk,
        **sla_rows(ALL_TARGETS[:2]),
    }

    response = client.post("/admin/helpdesk/queue/add/", data, headers={"accept-language": "en"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Set a target for every priority" in html
    assert "Missing: Normal, Low." in html
    assert 'value="Half configured"' in html
    assert not Queue.objects.filter(slug="half").exists()


def test_duplicate_priority_and_backwards_targets_are_explained(client, staff_manager, budapest_calendar):
    client.force_login(staff_manager)
    targets = [*ALL_TARGETS[:3], (Priority.NORMAL, "02:00:00", "01:00:00")]
    data = {
        "name": "Twice",
        "slug": "twice",
        "calendar": budapest_calendar.pk,
        "manager": staff_manager.pk,
        **sla_rows(targets),
    }

    html = client.post("/admin/helpdesk/queue/add/", data, headers={"accept-language": "en"}).content.decode()

    assert "Resolution cannot be due before the first response." in html
    assert not Queue.objects.filter(slug="twice").exists()


def test_a_second_default_queue_is_explained(client, staff_manager, queue, budapest_calendar):
    client.force_login(staff_manager)
    data = {
        "name": "Another",
        "slug": "another",
        "calendar": budapest_calendar.pk,
        "manager": staff_manager.pk,
        "is_default": "on",
        **sla_rows(ALL_TARGETS),
    }

    html = client.post("/admin/helpdesk/queue/add/", data, headers={"accept-language": "en"}).content.decode()

    assert "“General” is already the default queue." in html
    assert SlaTarget.objects.count() == 4


def test_only_managers_can_manage_a_queue(client, staff_manager, agent, budapest_calendar):
    client.force_login(staff_manager)
    data = {
        "name": "Agent led",
        "slug": "agent-led",
        "calendar": budapest_calendar.pk,
        "manager": agent.pk,
        **sla_rows(ALL_TARGETS),
    }

    response = client.post("/admin/helpdesk/queue/add/", data)

    assert response.status_code == 200
    assert not Queue.objects.filter(slug="agent-led").exists()


def test_manager_creates_a_category_with_a_language_route(client, staff_manager, queue, polish_queue):
    client.force_login(staff_manager)
    data = {
        "slug": "delivery",
        "name_en": "Delivery",
        "name_hu": "Szállítás",
        "name_pl": "Dostawa",
        "queue": queue.pk,
        "default_priority": str(Priority.HIGH),
        "is_complaint": "",
        "is_active": "on",
        "position": "3",
        **management_form("routes", 1),
        "routes-0-language": "pl",
        "routes-0-queue": polish_queue.pk,
    }

    response = client.post("/admin/helpdesk/category/add/", data)

    assert response.status_code == 302
    category = Category.objects.get(slug="delivery")
    assert category.queue_for("pl") == polish_queue
    assert category.queue_for("hu") == queue


def test_a_route_to_a_queue_of_another_language_is_explained(client, staff_manager, queue, polish_queue):
    client.force_login(staff_manager)
    data = {
        "slug": "delivery",
        "name_en": "Delivery",
        "name_hu": "Szállítás",
        "name_pl": "Dostawa",
        "queue": queue.pk,
        "default_priority": str(Priority.NORMAL),
        "is_active": "on",
        "position": "0",
        **management_form("routes", 1),
        "routes-0-language": "hu",
        "routes-0-queue": polish_queue.pk,
    }

    html = client.post(
        "/admin/helpdesk/category/add/", data, headers={"accept-language": "en"}
    ).content.decode()

    assert "serves only Polish requests" in html
    assert 'value="Szállítás"' in html
    assert not Category.objects.filter(slug="delivery").exists()


def test_a_staff_profile_cannot_be_moved_to_another_account(client, manager, agent, other_agent):
    from helpdesk.models import StaffProfile

    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    profile = StaffProfile.objects.create(user=agent, language="hu")
    client.force_login(manager)

    response = client.post(
        f"/admin/helpdesk/staffprofile/{profile.pk}/change/",
        {"user": other_agent.pk, "language": "pl", "availability": profile.availability},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.user, profile.language) == (agent, "pl")
