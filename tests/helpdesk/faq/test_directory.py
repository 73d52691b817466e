"""The channel directory: hours from the calendar, the live expected answer, the phone menu map."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.models import ChannelListing, Closure, PhoneMenuOption

BUDAPEST = ZoneInfo("Europe/Budapest")
MONDAY_MORNING = datetime(2026, 3, 16, 10, tzinfo=BUDAPEST)
NATIONAL_DAY = datetime(2026, 8, 20, 10, tzinfo=BUDAPEST)  # Thursday, and Friday is a bridge day off


@pytest.fixture
def listings(budapest_calendar, queue):
    return {
        "phone": ChannelListing.objects.create(
            channel="phone",
            purpose_en="Urgent matters.",
            purpose_hu="Sürgős ügyek.",
            purpose_pl="Pilne sprawy.",
            contact="+36 1 555 0100",
            calendar=budapest_calendar,
            position=1,
        ),
        "web": ChannelListing.objects.create(
            channel="web", purpose_en="Anything that can wait.", queue=queue, position=0
        ),
        "walk_in": ChannelListing.objects.create(
            channel="walk_in", purpose_en="Hidden desk.", calendar=budapest_calendar, is_shown=False
        ),
    }


@pytest.fixture
def menu(db):
    billing = PhoneMenuOption.objects.create(
        key="1", label_en="Bills", label_hu="Számlák", label_pl="Rachunki"
    )
    PhoneMenuOption.objects.create(parent=billing, key="2", label_en="Instalments", label_pl="Raty")
    faults = PhoneMenuOption.objects.create(key="2", label_en="Faults", label_hu="Hibák", label_pl="Usterki")
    PhoneMenuOption.objects.create(
        parent=faults, key="1", label_en="Home internet", label_pl="Internet domowy"
    )
    PhoneMenuOption.objects.create(key="0", label_en="An agent", label_hu="Ügyintéző", label_pl="Konsultant")
    return billing


def test_open_channel_shows_todays_hours_and_when_it_closes(client, listings):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get("/contact/").text
    phone = page.split('data-testid="channel-phone"')[1].split("</section>")[0]
    assert "+36 1 555 0100" in phone
    assert "Open now" in phone
    assert "until 17:00" in phone
    assert "Today:" in phone
    assert "08:00–17:00" in phone


def test_closed_channel_shows_the_next_opening_and_the_holidays_ahead(client, listings):
    with time_machine.travel(NATIONAL_DAY, tick=False):
        page = client.get("/contact/").text
    phone = page.split('data-testid="channel-phone"')[1].split("</section>")[0]
    assert "Closed now" in phone
    assert "opens Monday 24 August at 08:00" in phone
    assert "closed all day" in phone
    assert "Thursday 20 August" in phone
    assert "Bridge day off" in phone


@pytest.mark.parametrize(
    ("language", "opens", "holiday"),
    [
        ("hu", "augusztus 24., hétfő", "augusztus 20., csütörtök"),
        ("pl", "poniedziałek, 24 sierpnia", "czwartek, 20 sierpnia"),
    ],
)
def test_days_are_written_in_the_order_of_the_readers_language(client, listings, language, opens, holiday):
    with time_machine.travel(NATIONAL_DAY, tick=False):
        response = client.get("/contact/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    phone = response.text.split('data-testid="channel-phone"')[1].split("</section>")[0]
    assert opens in phone
    assert holiday in phone


def test_closures_are_listed_with_their_reason(client, listings, budapest_calendar):
    Closure.objects.create(
        calendar=budapest_calendar,
        starts_at=datetime(2026, 3, 20, 8, tzinfo=BUDAPEST),
        ends_at=datetime(2026, 3, 20, 17, tzinfo=BUDAPEST),
        reason="Staff training",
    )
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get("/contact/").text
    assert "Staff training" in page


def test_channel_without_calendar_is_open_any_time_and_gives_the_live_estimate(client, listings, make_ticket):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        make_ticket()
        make_ticket(email="other@example.hu")
        page = client.get("/contact/").text
    web = page.split('data-testid="channel-web"')[1].split("</section>")[0]
    assert "Any time" in web
    assert "A new request is answered today" in web
    assert "2 requests are waiting in line now." in web


def test_estimate_grows_with_the_line(listings, make_ticket):
    from helpdesk.directory import channel_directory

    with time_machine.travel(MONDAY_MORNING, tick=False):
        empty = next(card for card in channel_directory() if card.listing.channel == "web")
        for number in range(30):
            make_ticket(email=f"c{number}@example.hu")
        busy = next(card for card in channel_directory() if card.listing.channel == "web")
    assert (empty.waiting, busy.waiting) == (0, 30)
    assert busy.expected.at > empty.expected.at


def test_hidden_channels_are_not_listed_and_order_is_kept(client, listings):
    page = client.get("/contact/").text
    assert "Hidden desk." not in page
    assert page.index('data-testid="channel-web"') < page.index('data-testid="channel-phone"')


def test_purpose_in_the_visitors_language(client, listings):
    assert "Pilne sprawy." in client.get("/contact/", HTTP_ACCEPT_LANGUAGE="pl").text
    # Not written in Polish: English is shown rather than nothing.
    assert "Anything that can wait." in client.get("/contact/", HTTP_ACCEPT_LANGUAGE="pl").text


def test_phone_menu_is_a_nested_list_in_calling_order(client, listings, menu):
    page = client.get("/contact/").text
    tree = page.split('data-testid="phone-menu"')[1].split("</section>")[0]
    assert "Press 1: Bills" in tree
    assert "Press 2, then 1: Home internet" in tree
    assert tree.index("Bills") < tree.index("Faults") < tree.index("An agent")  # 0 comes last
    assert tree.count('<ul class="phone-menu">') == 3  # the first menu and two sub-menus
    assert "<script" not in tree


def test_phone_menu_labels_in_the_visitors_language(client, menu):
    page = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="pl").text
    assert page.index("Rachunki") < page.index("Raty") < page.index("Usterki") < page.index("Konsultant")


def test_phone_menu_label_falls_back_to_english(client, menu):
    assert "Instalments" in client.get("/contact/", HTTP_ACCEPT_LANGUAGE="hu").text


@pytest.mark.parametrize("size", [2, 20])
def test_contact_page_issues_a_fixed_number_of_queries(
    client, listings, menu, make_ticket, django_assert_num_queries, size
):
    for number in range(size):
        make_ticket(email=f"c{number}@example.hu")
    # Listings with their line counts; hours and closures of the two calendars; the menu.
    with django_assert_num_queries(6):
        assert client.get("/contact/").status_code == 200


# --- managers configure it -------------------------------------------------------------------


def test_manager_edits_a_channel(client, manager, listings, budapest_calendar):
    client.force_login(manager)
    assert client.get("/manage/channels/").status_code == 200
    data = {
        "purpose_en": "Urgent things.",
        "purpose_hu": "Sürgős dolgok.",
        "purpose_pl": "Pilne rzeczy.",
        "contact": "+36 1 555 0199",
        "calendar": budapest_calendar.pk,
        "queue": "",
        "is_shown": "on",
        "position": 1,
    }
    response = client.post(f"/manage/channels/{listings['phone'].pk}/", data)
    assert response.status_code == 302
    listings["phone"].refresh_from_db()
    assert listings["phone"].contact == "+36 1 555 0199"
    assert "Sürgős dolgok." in client.get("/contact/", HTTP_ACCEPT_LANGUAGE="hu").text


def test_manager_builds_the_phone_menu(client, manager, menu):
    client.force_login(manager)
    data = {
        "parent": menu.pk,
        "key": "3",
        "label_en": "Refunds",
        "label_hu": "Visszatérítés",
        "label_pl": "Zwroty",
    }
    assert client.post("/manage/phone-menu/new/", data).status_code == 302
    assert menu.children.filter(key="3", label_pl="Zwroty").exists()

    taken = client.post("/manage/phone-menu/new/", {**data, "key": "2"})
    assert taken.status_code == 200
    assert "This key is already used in the same menu." in taken.text
    assert "Visszatérítés" in taken.text  # what was typed is kept

    assert client.post(f"/manage/phone-menu/{menu.pk}/delete/").status_code == 302
    assert not PhoneMenuOption.objects.filter(label_en__in=["Bills", "Instalments", "Refunds"]).exists()


def test_option_cannot_move_under_itself(client, manager, menu):
    client.force_login(manager)
    child = menu.children.get()
    data = {"parent": child.pk, "key": "1", "label_en": "Bills", "label_hu": "", "label_pl": ""}
    response = client.post(f"/manage/phone-menu/{menu.pk}/", data)
    assert response.status_code == 200
    assert "An option cannot sit under itself." in response.text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/manage/channels/"),
        ("get", "/manage/channels/{pk}/"),
        ("get", "/manage/phone-menu/new/"),
        ("post", "/manage/phone-menu/{option}/delete/"),
    ],
)
def test_agents_get_403_and_customers_the_login(client, agent, listings, menu, method, url):
    url = url.format(pk=listings["phone"].pk, option=menu.pk)
    assert getattr(client, method)(url)["Location"].startswith("/accounts/login/")
    client.force_login(agent)
    assert getattr(client, method)(url).status_code == 403
    assert PhoneMenuOption.objects.filter(pk=menu.pk).exists()


def test_home_contact_and_chat_pages_agree_on_the_chat_hours(
    client, listings, polish_queue, budapest_calendar
):
    # The chat is staffed by the Polish queue (weekdays 08:00-18:00); the listing once named the
    # Budapest office calendar (until 17:00), and the pages contradicted each other.
    polish_queue.serves_chat = True
    polish_queue.save()
    ChannelListing.objects.create(channel="chat", purpose_en="Quick questions.", calendar=budapest_calendar)

    with time_machine.travel(MONDAY_MORNING, tick=False):
        chat = client.get("/chat/").text
        home = client.get("/").text
        contact = client.get("/contact/").text

    assert "The chat is open today until 18:00" in chat
    home_chat = home.split('data-testid="channel-chat"')[1].split("</li>")[0]
    assert "until 18:00" in home_chat
    contact_chat = contact.split('data-testid="channel-chat"')[1].split("</section>")[0]
    assert "until 18:00" in contact_chat
    assert "08:00–18:00" in contact_chat


def test_managers_see_that_the_chat_hours_come_from_the_chat_queue(client, manager, listings):
    chat = ChannelListing.objects.create(channel="chat", purpose_en="Quick questions.")
    client.force_login(manager)

    assert "the live chat queue&#x27;s calendar" in client.get("/manage/channels/").text
    assert 'name="calendar"' not in client.get(f"/manage/channels/{chat.pk}/").text
    assert 'name="calendar"' in client.get(f"/manage/channels/{listings['phone'].pk}/").text


# --- walk-in desks come from the branches; the week's hours; each country's holidays ----------

WARSAW = ZoneInfo("Europe/Warsaw")
# Wednesday 11 November 2026: Poland's Independence Day, a working day in Hungary.
POLISH_HOLIDAY = datetime(2026, 11, 11, 10, tzinfo=WARSAW)


@pytest.fixture
def branches(budapest_calendar, warsaw_calendar):
    from helpdesk.models import Branch

    return [
        Branch.objects.create(
            name="Budapest, Váci út", slug="vaci", address="Váci út 37", calendar=budapest_calendar
        ),
        Branch.objects.create(
            name="Warszawa, Marszałkowska",
            slug="marszalkowska",
            address="ul. Marszałkowska 104/122",
            calendar=warsaw_calendar,
        ),
        Branch.objects.create(
            name="Closed branch",
            slug="closed",
            address="Nowhere 1",
            calendar=budapest_calendar,
            is_active=False,
        ),
    ]


def walk_in_cards(page: str) -> list[str]:
    return [part.split("</section>")[0] for part in page.split('data-testid="channel-walk_in"')[1:]]


def test_walk_in_entries_are_the_branches_with_their_addresses(client, budapest_calendar, branches):
    ChannelListing.objects.create(
        channel="walk_in",
        purpose_en="Come in person.",
        contact="Váci út 12 · ul. Prosta 20",
        calendar=budapest_calendar,
    )

    with time_machine.travel(MONDAY_MORNING, tick=False):
        response = client.get("/contact/")

    assert response.status_code == 200
    cards = walk_in_cards(response.text)
    assert len(cards) == 2
    assert "Váci út 37" in cards[0]
    assert "Marszałkowska 104/122" in cards[1]
    assert "Prosta 20" not in response.text
    assert "Nowhere 1" not in response.text
    assert all("Come in person." in card for card in cards)


def test_a_channel_shows_the_whole_weeks_hours_with_today_highlighted(client, listings):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="en").text

    phone = page.split('data-testid="channel-phone"')[1].split("</section>")[0]
    week = phone.split('data-testid="week-hours"')[1].split("</table>")[0]
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert day in week
    assert week.count("08:00–17:00") == 5
    today = week.split('aria-current="date"')[1].split("</tr>")[0]
    assert "Monday" in today


def test_warsaw_walk_in_follows_polish_holidays(client, budapest_calendar, branches):
    ChannelListing.objects.create(channel="walk_in", purpose_en="Come in person.")

    with time_machine.travel(POLISH_HOLIDAY, tick=False):
        response = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="en")

    budapest, warsaw = walk_in_cards(response.text)
    assert "Open now" in budapest
    assert "Closed now" in warsaw
    assert "Independence Day" in warsaw
