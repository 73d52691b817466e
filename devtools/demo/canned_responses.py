"""Demo canned responses in English, Hungarian and Polish (seeded by `seed_demo`)."""

from helpdesk.models import CannedResponse, Priority

# Canned responses agents start from: acknowledge the feelings and the problem, apologise
# without admitting fault, summarise, say what happens next and when, promise nothing we cannot
# keep. [Square brackets] are for the agent to fill in; {braces} are filled in automatically.
# No greeting and no signature: every email to the customer adds its own (templates/emails/).
CANNED_RESPONSES = {
    "en": [
        (
            "Acknowledge and apologise",
            "Thank you for telling us about this, and I am sorry for the trouble it has caused you. "
            "I understand how frustrating it is when something that should simply work does not. "
            "I will do everything I can to sort it out.\n\n"
            "As I understand it: [the problem in your own words]. Please tell me if I have missed "
            "anything.\n\n"
            "I am looking into it now and will get back to you by {expected_time}.",
        ),
        (
            "Live chat: checking, back in 3 minutes",
            "Thank you for your patience, {customer_name}. I am checking this in our system now; it "
            "will take about 3 minutes. I will be right back with you here in the chat.",
        ),
        (
            "We need one more detail",
            "To move forward I need one more detail from you: [what you need]. As soon as I have it, "
            "I will continue straight away. Your reference is {reference}.",
        ),
        (
            "Not solved yet: what happens next",
            "We could not solve this in one conversation, so here is exactly what happens next: "
            "[next step], by [date]. I will keep you informed at every step, and you can follow "
            "request {reference} on its status page at any time.",
        ),
        (
            "Passed to a supervisor",
            "I have asked my supervisor to look at your case, because it needs a decision I cannot "
            "make myself. I cannot promise the outcome yet, but I can promise that you will hear "
            "from us by [date].",
        ),
        (
            "Solved: please check",
            "Good news: [what was done]. Please check that everything is now as it should be. If "
            "anything is still not right, simply reply to this message and request {reference} will "
            "be reopened.",
        ),
    ],
    "hu": [
        (
            "Megértés és bocsánatkérés",
            "Köszönöm, hogy jelezte nekünk a problémát, és sajnálom a kellemetlenséget, amelyet "
            "okozott. Megértem, milyen bosszantó, ha valami nem úgy működik, ahogyan kellene. Mindent "
            "megteszek, hogy megoldjuk.\n\n"
            "Ahogy értem: [a probléma saját szavaival]. Kérem, jelezze, ha valamit kihagytam.\n\n"
            "Most utánanézek, és legkésőbb {expected_time}-ig jelentkezem.",
        ),
        (
            "Chat: utánanézek, 3 perc múlva jövök",
            "Köszönöm a türelmét, {customer_name}! Most utánanézek a rendszerünkben; ez körülbelül 3 "
            "percet vesz igénybe. Utána itt, a chatben folytatjuk.",
        ),
        (
            "Még egy adatra van szükségem",
            "Ahhoz, hogy tovább tudjunk lépni, még egy adatra van szükségem Öntől: [mire van szükség]. "
            "Amint megkapom, azonnal folytatom. Bejelentésének azonosítója: {reference}.",
        ),
        (
            "Még nincs megoldva: a következő lépés",
            "A problémát nem sikerült egyetlen beszélgetés alatt megoldanunk, ezért pontosan leírom, "
            "mi következik: [következő lépés], legkésőbb [dátum]-ig. Minden lépésről tájékoztatom, "
            "és {reference} azonosítójú bejelentését az állapotoldalon is bármikor követheti.",
        ),
        (
            "Továbbítva a vezetőnek",
            "Az ügyét továbbítottam a vezetőmnek, mert olyan döntést igényel, amelyet én nem hozhatok "
            "meg. Az eredményt még nem tudom megígérni, azt viszont igen, hogy legkésőbb [dátum]-ig "
            "jelentkezünk.",
        ),
        (
            "Megoldva: kérem, ellenőrizze",
            "Jó hírem van: [mit tettünk]. Kérem, ellenőrizze, hogy most minden rendben van-e. Ha "
            "mégsem, egyszerűen válaszoljon erre az üzenetre, és {reference} azonosítójú bejelentését "
            "újra megnyitjuk.",
        ),
    ],
    "pl": [
        (
            "Zrozumienie i przeprosiny",
            "Dziękuję, że dajesz nam znać, i przepraszam za kłopot, jaki Ci to sprawiło. Rozumiem, "
            "jak frustrujące jest, gdy coś nie działa tak, jak powinno. Zrobię wszystko, co w mojej "
            "mocy, żeby to rozwiązać.\n\n"
            "Tak rozumiem problem: [problem Twoimi słowami]. Napisz mi, proszę, jeśli czegoś tu "
            "brakuje.\n\n"
            "Sprawdzam to teraz i odezwę się do Ciebie najpóźniej w terminie: {expected_time}.",
        ),
        (
            "Czat: sprawdzam, wracam za 3 minuty",
            "Dziękuję za cierpliwość, {customer_name}. Sprawdzam to teraz w naszym systemie; zajmie "
            "mi to około 3 minut. Zaraz wracam do Ciebie tutaj, na czacie.",
        ),
        (
            "Potrzebuję jeszcze jednej informacji",
            "Żeby pójść dalej, potrzebuję od Ciebie jeszcze jednej informacji: [czego potrzebujesz]. "
            "Gdy tylko ją otrzymam, od razu wracam do Twojej sprawy. Numer Twojego zgłoszenia: "
            "{reference}.",
        ),
        (
            "Jeszcze nie rozwiązane: co dalej",
            "Nie udało się tego rozwiązać podczas jednej rozmowy, dlatego piszę dokładnie, co będzie "
            "dalej: [następny krok], do [data]. Będę informować Cię o każdym kroku, a Twoje "
            "zgłoszenie {reference} możesz w każdej chwili śledzić na stronie statusu.",
        ),
        (
            "Przekazane do kierownika",
            "Twoja sprawa trafiła do mojego kierownika, bo wymaga decyzji, której nie mogę podjąć "
            "samodzielnie. Nie mogę jeszcze obiecać, jaka będzie ta decyzja, ale obiecuję, że "
            "odezwiemy się do Ciebie do [data].",
        ),
        (
            "Rozwiązane: sprawdź, proszę",
            "Mam dobrą wiadomość: [co zrobiliśmy]. Sprawdź, proszę, czy teraz wszystko jest w "
            "porządku. Jeśli nie, po prostu odpowiedz na tę wiadomość, a Twoje zgłoszenie "
            "{reference} zostanie ponownie otwarte.",
        ),
    ],
}


# Macros among them, by position: what the ticket does when the reply goes out.
MACRO_EFFECTS = {
    3: {
        "then_status": "waiting",
        "add_tags": {"en": "needs detail", "hu": "adatra vár", "pl": "brak danych"},
    },
    5: {"set_priority": Priority.HIGH},
    6: {"then_status": "resolved"},
}


def macro_fields(position: int, language: str) -> dict:
    effects = dict(MACRO_EFFECTS.get(position, {}))
    if "add_tags" in effects:
        effects["add_tags"] = effects["add_tags"][language]
    return effects


def seed_canned_responses() -> int:
    created = 0
    for language, responses in CANNED_RESPONSES.items():
        for position, (title, body) in enumerate(responses, 1):
            _response, was_created = CannedResponse.objects.get_or_create(
                title=title,
                language=language,
                defaults={"body": body, "position": position, **macro_fields(position, language)},
            )
            created += was_created
    return created
