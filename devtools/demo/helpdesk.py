"""Demo data for `seed_demo`: calendars, queues, categories and tickets on every channel.

Idempotent: everything is looked up by a natural key first, and demo tickets carry an external
id "demo-N" so a second run adds nothing.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from devtools.demo.canned_responses import seed_canned_responses
from devtools.demo.faq import seed_faq_and_directory
from devtools.demo.files import seed_files
from devtools.demo.walk_in import seed_walk_in
from helpdesk import intake
from helpdesk.models import (
    BusinessCalendar,
    Category,
    CategoryRoute,
    Channel,
    OpeningHours,
    Priority,
    Queue,
    SlaTarget,
    Ticket,
)
from helpdesk.models.routing import DEFAULT_SLA

WEEKDAYS = range(5)


def seed_routing(manager) -> dict[str, Queue]:
    budapest = _calendar(
        "Budapest office", "HU", "Europe/Budapest", {d: [(time(8), time(17))] for d in WEEKDAYS}
    )
    warsaw = _calendar(
        "Warsaw office",
        "PL",
        "Europe/Warsaw",
        {**{d: [(time(8), time(18))] for d in WEEKDAYS}, 5: [(time(9), time(13))]},
    )
    queues = {
        "general": _queue("General questions", "general", "", budapest, manager, is_default=True),
        "billing-hu": _queue("Számlázás (HU)", "billing-hu", "hu", budapest, manager),
        "billing-pl": _queue("Rozliczenia (PL)", "billing-pl", "pl", warsaw, manager),
        "technical": _queue("Technical support", "technical", "", budapest, manager),
        "complaints": _queue("Complaints", "complaints", "", budapest, manager),
    }
    categories = [
        (
            "billing",
            "Bills and payments",
            "Számlák és befizetések",
            "Rachunki i płatności",
            "billing-hu",
            Priority.NORMAL,
            False,
        ),
        (
            "outage",
            "No service / outage",
            "Szolgáltatáskiesés",
            "Brak usługi / awaria",
            "technical",
            Priority.HIGH,
            False,
        ),
        (
            "technical",
            "Device or connection problem",
            "Eszköz- vagy kapcsolati hiba",
            "Problem z urządzeniem lub łączem",
            "technical",
            Priority.NORMAL,
            False,
        ),
        (
            "contract",
            "Contract, moving, cancellation",
            "Szerződés, költözés, felmondás",
            "Umowa, przeprowadzka, wypowiedzenie",
            "general",
            Priority.NORMAL,
            False,
        ),
        ("complaint", "Complaint", "Panasz", "Reklamacja", "complaints", Priority.HIGH, True),
        ("other", "Something else", "Egyéb kérdés", "Inna sprawa", "general", Priority.LOW, False),
    ]
    for position, (slug, en, hu, pl, queue, priority, is_complaint) in enumerate(categories):
        category, _created = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": en,
                "name_hu": hu,
                "name_pl": pl,
                "queue": queues[queue],
                "default_priority": priority,
                "is_complaint": is_complaint,
                "position": position,
            },
        )
        if slug == "billing":
            # Polish bills are handled by the Warsaw team, in Polish.
            CategoryRoute.objects.update_or_create(
                category=category, language="pl", defaults={"queue": queues["billing-pl"]}
            )
    return queues


def _calendar(name, country, tz, weekly) -> BusinessCalendar:
    calendar, created = BusinessCalendar.objects.get_or_create(
        name=name, defaults={"country": country, "time_zone": tz}
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(calendar=calendar, weekday=day, opens=opens, closes=closes)
            for day, hours in weekly.items()
            for opens, closes in hours
        )
    return calendar


def _queue(name, slug, language, calendar, manager, is_default=False) -> Queue:
    queue, _created = Queue.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "language": language,
            "calendar": calendar,
            "manager": manager,
            "is_default": is_default,
        },
    )
    for priority, (first_response, resolution) in DEFAULT_SLA.items():
        SlaTarget.objects.get_or_create(
            queue=queue,
            priority=priority,
            defaults={"first_response": first_response, "resolution": resolution},
        )
    return queue


# channel, language, name, email, phone, category, subject, text, hours ago
DEMO_TICKETS = [
    (
        Channel.WEB,
        "hu",
        "Szabó Katalin",
        "szabo.katalin@example.hu",
        "",
        "billing",
        "Kétszer terhelték a számlámat",
        "Jó napot! A novemberi számlám összegét kétszer vonták le a bankszámlámról. Kérem, utalják vissza a különbözetet.",
    ),
    (
        Channel.EMAIL,
        "pl",
        "Piotr Wiśniewski",
        "piotr.wisniewski@example.pl",
        "",
        "billing",
        "Błędna faktura za październik",
        "Dzień dobry, na fakturze za październik naliczono opłatę za usługę, której nie zamawiałem. Proszę o korektę.",
    ),
    (
        Channel.PHONE,
        "hu",
        "Nagy István",
        "",
        "+36301234567",
        "outage",
        "Nincs internet Óbudán",
        "Az ügyfél telefonon jelezte: tegnap este óta nincs internet, a router lámpája pirosan villog.",
    ),
    (
        Channel.WEB,
        "en",
        "Emma Clarke",
        "emma.clarke@example.com",
        "",
        "technical",
        "Router keeps restarting",
        "My router restarts every twenty minutes since the update on Monday. I work from home and this is costing me calls.",
    ),
    (
        Channel.API,
        "pl",
        "Anna Kowalska",
        "anna.kowalska@example.pl",
        "+48601234567",
        "contract",
        "Przeprowadzka — przeniesienie usługi",
        "Zamówienie ze sklepu internetowego: klientka prosi o przeniesienie usługi pod nowy adres od 1 grudnia.",
    ),
    (
        Channel.EMAIL,
        "hu",
        "Tóth Gábor",
        "toth.gabor@example.hu",
        "",
        "complaint",
        "Panasz: harmadszor jön ki a szerelő feleslegesen",
        "Harmadszor egyeztettünk időpontot, és a szerelő megint nem jött el. Szabadságot vettem ki miatta. Ez elfogadhatatlan.",
    ),
    (
        Channel.PHONE,
        "pl",
        "Krzysztof Zieliński",
        "krzysztof.zielinski@example.pl",
        "+48501111222",
        "complaint",
        "Reklamacja: brak usługi przez 3 dni",
        "Klient zgłosił telefonicznie reklamację: przez trzy dni nie miał dostępu do internetu i oczekuje obniżenia rachunku.",
    ),
    (
        Channel.WEB,
        "hu",
        "Kiss Eszter",
        "kiss.eszter@example.hu",
        "",
        "contract",
        "Költözés miatt szerződésmódosítás",
        "Január elején költözöm Debrecenbe. Hogyan tudom átvinni az előfizetésemet az új címre?",
    ),
    (
        Channel.EMAIL,
        "en",
        "James Wilson",
        "james.wilson@example.co.uk",
        "",
        "billing",
        "Question about the new tariff",
        "Could you explain why my monthly fee went up by 1,200 HUF? I was not told about a price change.",
    ),
    (
        Channel.WEB,
        "pl",
        "Magdalena Lewandowska",
        "m.lewandowska@example.pl",
        "",
        "technical",
        "Telewizja się zawiesza",
        "Dekoder zawiesza się kilka razy dziennie, trzeba go wyłączać z prądu. Co mogę zrobić?",
    ),
    (
        Channel.PHONE,
        "hu",
        "Varga Péter",
        "varga.peter@example.hu",
        "+36209876543",
        "billing",
        "Késedelmi díj tévesen",
        "Telefonon: a befizetés határidőre megtörtént, mégis késedelmi díjat számoltunk fel. Az ügyfél ideges, kéri a díj törlését.",
    ),
    (
        Channel.API,
        "en",
        "Social media: @lena_b",
        "lena.b@example.com",
        "",
        "outage",
        "Tweet: whole street without service",
        "From the social-media tool: 'Whole street in Újbuda has no internet since 7am, any news??'",
    ),
    (
        Channel.EMAIL,
        "pl",
        "Tomasz Wójcik",
        "tomasz.wojcik@example.pl",
        "",
        "other",
        "Pytanie o fakturę elektroniczną",
        "Czy mogę otrzymywać faktury wyłącznie w formie elektronicznej?",
    ),
    (
        Channel.WEB,
        "hu",
        "Horváth Anna",
        "horvath.anna@example.hu",
        "",
        "other",
        "Elektronikus számla igénylése",
        "Szeretném, ha a jövőben csak e-mailben kapnám a számlát.",
    ),
    (
        Channel.WEB,
        "en",
        "Lukas Becker",
        "lukas.becker@example.de",
        "",
        "contract",
        "Cancel contract after moving abroad",
        "I am moving back to Germany in February. What do I need to send you to end my contract?",
    ),
    (
        Channel.PHONE,
        "pl",
        "Ewa Kamińska",
        "",
        "+48602333444",
        "technical",
        "Słaby sygnał Wi-Fi",
        "Klientka dzwoniła: słaby zasięg Wi-Fi na piętrze. Udzielono porady, sprawa rozwiązana podczas rozmowy.",
    ),
    (
        Channel.EMAIL,
        "hu",
        "Molnár Zoltán",
        "molnar.zoltan@example.hu",
        "",
        "outage",
        "Áramszünet után nem indul a modem",
        "Tegnapi áramszünet óta a modem nem kapcsol be. Kérek segítséget vagy cserét.",
    ),
    (
        Channel.WEB,
        "pl",
        "Paweł Dąbrowski",
        "pawel.dabrowski@example.pl",
        "",
        "complaint",
        "Reklamacja rachunku za roaming",
        "Otrzymałem rachunek na 480 zł za roaming, mimo że miałem wykupiony pakiet. Proszę o wyjaśnienie.",
    ),
    (
        Channel.API,
        "hu",
        "Webshop rendelés #88213",
        "fekete.laura@example.hu",
        "",
        "technical",
        "Nem érkezett meg a megrendelt router",
        "A webshopból: a vásárló 10 napja rendelt routert, a csomag még nem érkezett meg.",
    ),
    (
        Channel.EMAIL,
        "en",
        "Sarah O'Brien",
        "sarah.obrien@example.ie",
        "",
        "complaint",
        "Complaint about rude phone call",
        "The agent I spoke to yesterday hung up on me. I would like an apology and my problem solved.",
    ),
    (
        Channel.WEB,
        "hu",
        "Balogh Márta",
        "balogh.marta@example.hu",
        "+36705556677",
        "billing",
        "Nem kaptam meg a számlát",
        "Ebben a hónapban nem érkezett meg a számla e-mailben. Kérem, küldjék el újra.",
    ),
    (
        Channel.PHONE,
        "en",
        "David Novak",
        "david.novak@example.cz",
        "",
        "other",
        "Opening hours over the holidays",
        "Caller asked whether the Budapest office is open between Christmas and New Year. Answered on the call.",
    ),
    (
        Channel.EMAIL,
        "pl",
        "Agnieszka Szymańska",
        "a.szymanska@example.pl",
        "",
        "outage",
        "Brak internetu w całym bloku",
        "Od rana cały blok przy ul. Kwiatowej 12 nie ma internetu. Sąsiedzi też zgłaszają.",
    ),
    (
        Channel.WEB,
        "en",
        "Oliver Smith",
        "oliver.smith@example.com",
        "",
        "billing",
        "Refund for unused month",
        "I cancelled in September but was still charged for October. Please refund 4,990 HUF.",
    ),
    (
        Channel.EMAIL,
        "hu",
        "Farkas Bence",
        "farkas.bence@example.hu",
        "",
        "technical",
        "Lassú internet esténként",
        "Esténként 5 Mbit/s alá esik a sebesség, pedig 500-as csomagom van.",
    ),
    (
        Channel.WEB,
        "pl",
        "Joanna Wróbel",
        "joanna.wrobel@example.pl",
        "",
        "contract",
        "Zmiana pakietu na większy",
        "Chciałabym zmienić pakiet internetu na 1 Gb/s. Ile to kosztuje?",
    ),
    (
        Channel.PHONE,
        "hu",
        "Papp Judit",
        "papp.judit@example.hu",
        "+36301112233",
        "complaint",
        "Panasz: hibás számla harmadik hónapja",
        "Telefonos panasz: harmadik hónapja hibás a számla, az ügyfél szerint senki nem hívta vissza. Kéri, hogy vezető foglalkozzon vele.",
    ),
    (
        Channel.API,
        "pl",
        "Sklep internetowy #5531",
        "marek.kaczmarek@example.pl",
        "",
        "billing",
        "Płatność nie została zaksięgowana",
        "Ze sklepu: klient zapłacił kartą, ale zamówienie nadal ma status 'nieopłacone'.",
    ),
    (
        Channel.EMAIL,
        "en",
        "Maria Rossi",
        "maria.rossi@example.it",
        "",
        "other",
        "Invoice in English?",
        "Is it possible to receive my invoices in English?",
    ),
    (
        Channel.WEB,
        "hu",
        "Lakatos Dániel",
        "lakatos.daniel@example.hu",
        "",
        "outage",
        "Mobilnet nem működik Szegeden",
        "Délután 2 óta nincs mobilinternet Szeged belvárosában.",
    ),
]
SOLVED_ON_THE_CALL = {"Słaby sygnał Wi-Fi", "Opening hours over the holidays"}


def seed_tickets(agent) -> int:
    created = 0
    categories = {category.slug: category for category in Category.objects.prefetch_related("routes")}
    now = timezone.now()
    for number, (channel, language, name, email, phone, category, subject, text) in enumerate(
        DEMO_TICKETS, 1
    ):
        external_id = f"demo-{number}"
        if Ticket.objects.filter(external_id=external_id).exists():
            continue
        ticket = intake.receive(
            channel=channel,
            identity_verified=channel in (Channel.PHONE, Channel.WALK_IN),
            subject=subject,
            body=text,
            name=name,
            email=email,
            phone=phone,
            language=language,
            category=categories[category],
            by=agent if channel == Channel.PHONE else None,
            external_id=external_id,
            solved_on_first_contact=subject in SOLVED_ON_THE_CALL,
            acknowledge=False,
        )
        # Spread arrivals over the last two days so the queue has history, some of it overdue.
        ticket.created_at = now - timedelta(minutes=97 * (len(DEMO_TICKETS) - number))
        ticket.apply_sla()
        ticket.save(update_fields=["created_at", "first_response_due_at", "resolution_due_at"])
        ticket.entries.update(created_at=ticket.created_at)
        created += 1
    return created


def seed_chats(*, agent, manager) -> int:
    """The live chat queue (weekdays 08:00-20:00, Saturday 09:00-14:00) and one conversation
    that has ended, with a hold notice, so the workspace shows a chat transcript."""
    from helpdesk.models import Chat

    hours = {**{d: [(time(8), time(20))] for d in WEEKDAYS}, 5: [(time(9), time(14))]}
    chat_hours = _calendar("Live chat hours", "HU", "Europe/Budapest", hours)
    queue = _queue("Live chat", "chat", "", chat_hours, manager)
    if not queue.serves_chat:
        queue.serves_chat = True
        queue.save(update_fields=["serves_chat"])
    if Ticket.objects.filter(external_id="demo-chat-1").exists():
        return 0
    ticket = intake.receive(
        channel=Channel.CHAT,
        identity_verified=False,
        subject="",
        body="Jó napot! A novemberi számlám kétszer akkora, mint szokott.",
        name="Tóth Eszter",
        email="toth.eszter@example.hu",
        language="hu",
        queue=queue,
        external_id="demo-chat-1",
        acknowledge=False,
    )
    chat = Chat.objects.create(ticket=ticket)
    chat.post_agent_message(by=agent, body="Jó napot, Eszter! Máris megnézem, kérem, tartson ki.")
    chat.put_on_hold(by=agent, reason="bill", minutes=5)
    chat.post_agent_message(
        by=agent,
        body="Köszönöm a türelmét! A novemberi számlán kétszer szerepelt a havidíj; jóváírjuk.",
    )
    chat.post_customer_message("Köszönöm szépen, ez nagy segítség.")
    chat.end(reason=Chat.EndReason.CUSTOMER)
    return 1


# Themes: the same complaint from several customers in different word forms. The worker groups
# them (the feedback app hears of each complaint through helpdesk.hooks.COMPLAINT_ARRIVED) and the
# Hungarian billing theme crosses the escalation rule (5 complaints, 3 customers, 7 days).
DEMO_COMPLAINTS = [
    (
        "hu",
        "Kovács Éva",
        "eva.kovacs@example.hu",
        "Hibás a számlám",
        "Kétszer terhelték a novemberi számlámat.",
    ),
    (
        "hu",
        "Tóth Gábor",
        "gabor.toth@example.hu",
        "Hibás számla",
        "A novemberi számla összege kétszer szerepel.",
    ),
    ("hu", "Szabó Anna", "anna.szabo@example.hu", "hibas szamla", "ketszer vontak le a szamlam osszeget"),
    (
        "hu",
        "Nagy Péter",
        "peter.nagy@example.hu",
        "Számlázási hiba",
        "Hibás számlázási összeg, kétszer fizettem.",
    ),
    (
        "hu",
        "Kovács Éva",
        "eva.kovacs@example.hu",
        "Még mindig hibás a számlám",
        "A számlámat továbbra is kétszer terhelik.",
    ),
    (
        "pl",
        "Anna Wiśniewska",
        "anna.w@example.pl",
        "Błędna faktura",
        "Faktura za listopad jest naliczona podwójnie.",
    ),
    (
        "pl",
        "Piotr Zieliński",
        "piotr.z@example.pl",
        "Błąd w fakturze",
        "Na fakturze za listopad kwota jest podwójna.",
    ),
]


def seed_complaints() -> int:
    complaint = Category.objects.filter(is_complaint=True).first()
    if complaint is None:
        return 0
    created = 0
    for number, (language, name, email, subject, text) in enumerate(DEMO_COMPLAINTS, 1):
        external_id = f"demo-complaint-{number}"
        if Ticket.objects.filter(external_id=external_id).exists():
            continue
        intake.receive(
            channel=Channel.WEB if number % 2 else Channel.EMAIL,
            identity_verified=False,
            subject=subject,
            body=text,
            name=name,
            email=email,
            language=language,
            category=complaint,
            external_id=external_id,
            acknowledge=False,
        )
        created += 1
    return created


def seed(*, agent, manager) -> dict[str, int]:
    queues = seed_routing(manager)
    counts = {
        "tickets": seed_tickets(agent),
        "files": seed_files(),
        "walk_in_visitors": seed_walk_in(agent=agent, manager=manager, queues=queues),
        "chats": seed_chats(agent=agent, manager=manager),
        "complaints": seed_complaints(),
        "canned_responses": seed_canned_responses(),
        "faq_entries": seed_faq_and_directory(),
        "total": Ticket.objects.count(),
        "users": get_user_model().objects.count(),
    }
    return counts
