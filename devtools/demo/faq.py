"""Demo FAQ, channel directory and phone menu for a telecom and energy provider.

Written for customers in English, Hungarian (formal "Ön") and Polish ("Ty" forms). Idempotent:
categories, entries, channels and menu choices are looked up by their natural keys, so a second
run changes nothing (and leaves the view counts and votes alone).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from helpdesk.models import BusinessCalendar, ChannelListing, FaqCategory, FaqEntry, PhoneMenuOption, Queue

CATEGORIES = [
    ("billing", "Bills and payments", "Számlák és befizetések", "Faktury i płatności"),
    ("faults", "Outages and technical faults", "Üzemzavarok és műszaki hibák", "Awarie i usterki techniczne"),
    ("moving", "Moving house and contracts", "Költözés és szerződés", "Przeprowadzka i umowa"),
    ("mobile", "Mobile data and roaming", "Mobilinternet és roaming", "Internet mobilny i roaming"),
    ("meter", "Meter readings", "Mérőóra-leolvasás", "Odczyty licznika"),
    ("account", "Your requests and details", "Bejelentések és adatok", "Twoje zgłoszenia i dane"),
]

# (category, slug, views, {language: (question, answer)})
ENTRIES = [
    (
        "billing",
        "when-is-my-bill-due",
        412,
        {
            "en": (
                "When is my bill due, and where can I see it?",
                'Your bill is issued on the 5th of every month and is due 15 days later; the exact due date is printed at the top right of the bill.\n\nYou can download every bill from the last two years in your online account under "Bills". If you prefer paper, tell us and we will post it free of charge.',
            ),
            "hu": (
                "Mikor kell befizetnem a számlát, és hol nézhetem meg?",
                "A számlát minden hónap 5-én állítjuk ki, a fizetési határidő pedig 15 nappal később jár le; a pontos dátumot a számla jobb felső sarkában találja.\n\nAz elmúlt két év összes számláját letöltheti online ügyfélfiókjából, a „Számlák” menüpontban. Ha papíron szeretné megkapni, jelezze nekünk, és díjmentesen postázzuk.",
            ),
            "pl": (
                "Kiedy mija termin płatności faktury i gdzie mogę ją zobaczyć?",
                "Fakturę wystawiamy 5. dnia każdego miesiąca, a termin płatności mija 15 dni później; dokładną datę znajdziesz w prawym górnym rogu faktury.\n\nWszystkie faktury z ostatnich dwóch lat pobierzesz ze swojego konta online, w zakładce „Faktury”. Jeśli wolisz wersję papierową, daj nam znać, a wyślemy ją bezpłatnie.",
            ),
        },
    ),
    (
        "billing",
        "change-payment-method",
        268,
        {
            "en": (
                "How do I change how I pay (direct debit, card, bank transfer)?",
                'In your online account, open "Payment method" and choose direct debit, card or bank transfer. A direct debit takes effect from the next bill if you set it up at least 5 working days before the bill is issued; until then, please pay the current bill the usual way.\n\nChanging the payment method is free.',
            ),
            "hu": (
                "Hogyan változtathatom meg a fizetési módot (csoportos beszedés, bankkártya, átutalás)?",
                "Online ügyfélfiókjában, a „Fizetési mód” menüpontban választhat csoportos beszedési megbízást, bankkártyás fizetést vagy átutalást. A csoportos beszedés a következő számlától él, ha legalább 5 munkanappal a kiállítás előtt beállítja; addig kérjük, a mostani számlát a megszokott módon fizesse be.\n\nA fizetési mód módosítása díjmentes.",
            ),
            "pl": (
                "Jak zmienić formę płatności (polecenie zapłaty, karta, przelew)?",
                "Na swoim koncie online otwórz „Forma płatności” i wybierz polecenie zapłaty, kartę albo przelew. Polecenie zapłaty zacznie działać od następnej faktury, jeśli ustawisz je co najmniej 5 dni roboczych przed jej wystawieniem; do tego czasu opłać bieżącą fakturę tak jak dotąd.\n\nZmiana formy płatności jest bezpłatna.",
            ),
        },
    ),
    (
        "billing",
        "bill-higher-than-usual",
        530,
        {
            "en": (
                "Why is my bill higher than usual?",
                "The most common reasons are calls or data used abroad, a one-off charge (a device instalment or a repair visit), the end of a promotional discount, or an estimated meter reading. The second page of the bill lists every item.\n\nIf something looks wrong, submit a request with the bill number. While we check it, you only need to pay the part you do not dispute.",
            ),
            "hu": (
                "Miért magasabb a számlám a szokásosnál?",
                "A leggyakoribb okok: külföldön használt hívás vagy adatforgalom, egyszeri díj (például készülékrészlet vagy kiszállási díj), egy kedvezményes időszak vége, vagy becsült mérőállás. A számla második oldalán minden tételt megtalál.\n\nHa valami nem stimmel, küldjön bejelentést a számla sorszámával. Amíg megvizsgáljuk, csak a nem vitatott részt kell befizetnie.",
            ),
            "pl": (
                "Dlaczego moja faktura jest wyższa niż zwykle?",
                "Najczęstsze powody to połączenia lub internet używane za granicą, jednorazowa opłata (rata za urządzenie albo wizyta serwisanta), koniec rabatu promocyjnego lub szacunkowy odczyt licznika. Na drugiej stronie faktury znajdziesz wszystkie pozycje.\n\nJeśli coś się nie zgadza, wyślij zgłoszenie z numerem faktury. Na czas wyjaśniania zapłać tylko tę część, której nie kwestionujesz.",
            ),
        },
    ),
    (
        "billing",
        "paid-twice",
        121,
        {
            "en": (
                "I paid a bill twice by mistake. How do I get my money back?",
                "Nothing is lost: the second payment stays on your account as credit and is deducted from your next bill automatically.\n\nIf you would rather have it back, submit a request with your bank account number and we will transfer it within 8 working days.",
            ),
            "hu": (
                "Véletlenül kétszer fizettem be a számlát. Hogyan kapom vissza a pénzem?",
                "Semmi sem vész el: a második befizetés túlfizetésként az egyenlegén marad, és automatikusan levonjuk a következő számlából.\n\nHa inkább visszakérné, küldjön bejelentést a bankszámlaszámával, és 8 munkanapon belül visszautaljuk.",
            ),
            "pl": (
                "Faktura została opłacona dwa razy. Jak odzyskać pieniądze?",
                "Nic nie przepadnie: druga wpłata zostaje na Twoim koncie jako nadpłata i automatycznie pomniejszy kolejną fakturę.\n\nJeśli wolisz zwrot, wyślij zgłoszenie z numerem swojego konta bankowego, a przelejemy pieniądze w ciągu 8 dni roboczych.",
            ),
        },
    ),
    (
        "billing",
        "cannot-pay-on-time",
        187,
        {
            "en": (
                "I cannot pay on time. What can I do?",
                "Tell us before the due date and we will find a way together: we can move the due date once by up to 15 days, or split a larger bill into up to three instalments.\n\nWe never limit a service without sending you two reminders first.",
            ),
            "hu": (
                "Nem tudok időben fizetni. Mit tehetek?",
                "Jelezze nekünk a határidő előtt, és közösen megoldást találunk: a fizetési határidőt egyszer legfeljebb 15 nappal kitolhatjuk, egy nagyobb számlát pedig legfeljebb három részletre bonthatunk.\n\nSzolgáltatást soha nem korlátozunk két előzetes emlékeztető nélkül.",
            ),
            "pl": (
                "Nie mogę zapłacić na czas. Co mogę zrobić?",
                "Napisz do nas przed terminem płatności, a razem znajdziemy rozwiązanie: możemy raz przesunąć termin o maksymalnie 15 dni albo rozłożyć wyższą fakturę na maksymalnie trzy raty.\n\nNigdy nie ograniczamy usługi bez wcześniejszego wysłania Ci dwóch przypomnień.",
            ),
        },
    ),
    (
        "faults",
        "outage-in-my-area",
        604,
        {
            "en": (
                "Is there an outage in my area?",
                "When we know about a fault, it appears in a banner at the top of every page of this site, with the affected area and when we expect to fix it.\n\nIf you see no banner, restart your router or phone first. If the problem stays, report it and we will check your line.",
            ),
            "hu": (
                "Van üzemzavar a környékemen?",
                "Ha egy hibáról tudunk, az oldal minden lapjának tetején jelezzük, az érintett területtel és a javítás várható idejével.\n\nHa nem lát ilyen értesítést, először indítsa újra a routerét vagy a telefonját. Ha a hiba megmarad, jelentse be, és megvizsgáljuk a vonalát.",
            ),
            "pl": (
                "Czy w mojej okolicy jest awaria?",
                "Gdy wiemy o awarii, informujemy o niej na pasku u góry każdej strony tego serwisu, podając obszar i przewidywany czas naprawy.\n\nJeśli nie widzisz takiego komunikatu, najpierw uruchom ponownie router lub telefon. Jeśli problem nie zniknie, zgłoś go, a sprawdzimy Twoje łącze.",
            ),
        },
    ),
    (
        "faults",
        "internet-slow-or-dropping",
        377,
        {
            "en": (
                "My home internet is slow or keeps dropping. What should I try?",
                "Restart the router by unplugging it for 30 seconds. Then connect one computer with a cable and measure the speed: if it is fast on the cable, the Wi-Fi is the bottleneck, and moving the router higher and away from walls and microwave ovens usually helps.\n\nIf it is slow on the cable too, report it with the time and the speed you measured, and we will test your line remotely.",
            ),
            "hu": (
                "Lassú vagy gyakran megszakad az otthoni internet. Mit próbáljak meg?",
                "Indítsa újra a routert: húzza ki 30 másodpercre. Ezután csatlakoztasson egy számítógépet kábellel, és mérje meg a sebességet: ha kábelen gyors, a wifi a szűk keresztmetszet, és sokat segít, ha a routert magasabbra, falaktól és mikrohullámú sütőtől távolabb helyezi.\n\nHa kábelen is lassú, jelentse be az időponttal és a mért sebességgel, és távolról bemérjük a vonalát.",
            ),
            "pl": (
                "Mój internet domowy jest wolny albo się rozłącza. Co mogę sprawdzić?",
                "Uruchom ponownie router, odłączając go od zasilania na 30 sekund. Potem podłącz jeden komputer kablem i zmierz prędkość: jeśli po kablu jest szybko, winne jest Wi-Fi, a zwykle pomaga ustawienie routera wyżej, z dala od ścian i kuchenki mikrofalowej.\n\nJeśli po kablu też jest wolno, zgłoś to, podając godzinę i zmierzoną prędkość, a zdalnie przetestujemy Twoje łącze.",
            ),
        },
    ),
    (
        "faults",
        "money-back-for-outage",
        233,
        {
            "en": (
                "Do I get money back for an outage?",
                "Yes. If one of your services was unavailable for more than 24 hours in a row because of a fault on our side, we credit the monthly fee for each day affected on your next bill, without your asking.\n\nFor a large outage we announce any further compensation on this site.",
            ),
            "hu": (
                "Jár kompenzáció egy üzemzavar miatt?",
                "Igen. Ha valamelyik szolgáltatása a mi hibánkból 24 óránál tovább egyfolytában nem működött, az érintett napokra eső havidíjat kérés nélkül jóváírjuk a következő számlán.\n\nNagyobb üzemzavar esetén az esetleges további kompenzációról ezen az oldalon tájékoztatjuk.",
            ),
            "pl": (
                "Czy za awarię należy mi się zwrot pieniędzy?",
                "Tak. Jeśli Twoja usługa nie działała dłużej niż 24 godziny bez przerwy z naszej winy, odliczymy opłatę abonamentową za każdy dzień awarii na najbliższej fakturze, bez Twojej prośby.\n\nO ewentualnej dodatkowej rekompensacie przy dużej awarii informujemy w tym serwisie.",
            ),
        },
    ),
    (
        "faults",
        "technician-visit",
        98,
        {
            "en": (
                "How does a technician visit work?",
                "If a fault cannot be fixed remotely, we offer you a two-hour window, Saturday mornings included. The technician calls you 30 minutes before arriving and shows a photo ID card.\n\nThe visit is free when the fault is in our network or our equipment.",
            ),
            "hu": (
                "Hogyan zajlik a szerelő kiszállása?",
                "Ha a hibát távolról nem tudjuk elhárítani, kétórás időablakot ajánlunk, akár szombat délelőttre is. A szerelő érkezése előtt 30 perccel felhívja Önt, és fényképes igazolvánnyal azonosítja magát.\n\nA kiszállás díjmentes, ha a hiba a mi hálózatunkban vagy eszközünkben van.",
            ),
            "pl": (
                "Jak wygląda wizyta technika?",
                "Jeśli usterki nie da się usunąć zdalnie, zaproponujemy Ci dwugodzinny przedział czasu, również w sobotę rano. Technik zadzwoni 30 minut przed przyjazdem i pokaże legitymację ze zdjęciem.\n\nWizyta jest bezpłatna, jeśli usterka dotyczy naszej sieci lub naszego urządzenia.",
            ),
        },
    ),
    (
        "faults",
        "power-cut",
        156,
        {
            "en": (
                "The electricity is off at home. What should I do?",
                "First check whether your neighbours have power too, and whether the main switch in your fuse box has tripped. If only your home is affected and the switch is on, or if the whole street is dark, call our fault line, which is open day and night.\n\nIf you see a damaged cable or smell burning, keep away and call 112.",
            ),
            "hu": (
                "Nincs áram otthon. Mit tegyek?",
                "Először nézze meg, van-e áram a szomszédoknál, és nem kapcsolt-e le a főkapcsoló a biztosítéktáblában. Ha csak az Ön lakása érintett és a kapcsoló fel van kapcsolva, vagy ha az egész utca sötét, hívja éjjel-nappal elérhető hibabejelentő vonalunkat.\n\nHa sérült vezetéket lát vagy égett szagot érez, maradjon távol, és hívja a 112-t.",
            ),
            "pl": (
                "W domu nie ma prądu. Co robić?",
                "Najpierw sprawdź, czy sąsiedzi mają prąd i czy nie wyłączył się główny wyłącznik w skrzynce z bezpiecznikami. Jeśli problem dotyczy tylko Twojego mieszkania, a wyłącznik jest włączony, albo jeśli ciemno jest na całej ulicy, zadzwoń na naszą linię awaryjną, czynną całą dobę.\n\nJeśli widzisz uszkodzony przewód albo czujesz zapach spalenizny, nie zbliżaj się i zadzwoń pod 112.",
            ),
        },
    ),
    (
        "moving",
        "moving-house",
        289,
        {
            "en": (
                "I am moving house. How do I take my services with me?",
                "Tell us your new address at least three weeks before the move, in your online account or with the web form. We check what is available there and book the installation for the day you choose; your contract, number and price stay the same.\n\nOne move a year is free.",
            ),
            "hu": (
                "Költözöm. Hogyan vihetem magammal a szolgáltatásaimat?",
                "Legalább három héttel a költözés előtt adja meg az új címét online ügyfélfiókjában vagy a webes űrlapon. Megnézzük, mi érhető el az új helyen, és az Ön által választott napra foglaljuk a bekötést; a szerződése, a telefonszáma és az ára változatlan marad.\n\nÉvente egy költözés díjmentes.",
            ),
            "pl": (
                "Przeprowadzam się. Jak przenieść usługi pod nowy adres?",
                "Podaj nam nowy adres co najmniej trzy tygodnie przed przeprowadzką, na swoim koncie online albo przez formularz. Sprawdzimy, co jest dostępne pod nowym adresem, i umówimy instalację na wybrany przez Ciebie dzień; umowa, numer i cena pozostaną bez zmian.\n\nJedna przeprowadzka w roku jest bezpłatna.",
            ),
        },
    ),
    (
        "moving",
        "end-contract",
        341,
        {
            "en": (
                "How do I end my contract, and is there a fee?",
                "You can give notice in your online account, in writing, or at any of our desks; it takes effect 30 days later. Ending a fixed-term contract early carries a fee for the remaining discount, and we show you the amount before you confirm.\n\nPlease return rented devices within 15 days, by post for free or at a desk.",
            ),
            "hu": (
                "Hogyan mondhatom fel a szerződésemet, és van-e díja?",
                "Felmondhat online ügyfélfiókjában, írásban vagy bármelyik ügyfélszolgálati irodánkban; a felmondás 30 nap múlva lép életbe. Határozott idejű szerződés korai felmondásakor a hátralévő kedvezményt díjként felszámítjuk, ennek összegét még a megerősítés előtt megmutatjuk.\n\nA bérelt eszközöket kérjük, 15 napon belül juttassa vissza, díjmentesen postán vagy személyesen.",
            ),
            "pl": (
                "Jak wypowiedzieć umowę i czy jest za to opłata?",
                "Umowę wypowiesz na swoim koncie online, na piśmie albo w dowolnym naszym punkcie obsługi; wypowiedzenie zaczyna obowiązywać po 30 dniach. Przy wcześniejszym rozwiązaniu umowy na czas określony naliczamy opłatę za pozostałą część ulgi, a jej wysokość pokażemy Ci przed potwierdzeniem.\n\nWypożyczone urządzenia oddaj w ciągu 15 dni, bezpłatnie pocztą albo w punkcie obsługi.",
            ),
        },
    ),
    (
        "moving",
        "transfer-contract",
        64,
        {
            "en": (
                "How do I transfer my contract to someone else?",
                "You and the new holder both fill in the transfer form, online or at a desk, and the new holder shows an ID. The transfer is free, the number stays, and the new holder takes over from the next billing period.\n\nAny unpaid bills must be settled first.",
            ),
            "hu": (
                "Hogyan írathatom át a szerződésemet valaki másra?",
                "Az átírási nyomtatványt Önnek és az új előfizetőnek is ki kell töltenie, online vagy személyesen, az új előfizető pedig igazolja magát. Az átírás díjmentes, a telefonszám megmarad, és az új előfizető a következő számlázási időszaktól lép az Ön helyébe.\n\nElőtte a nyitott számlákat rendezni kell.",
            ),
            "pl": (
                "Jak przenieść umowę na inną osobę?",
                "Ty i nowy abonent wypełniacie formularz cesji, online albo w punkcie obsługi, a nowy abonent okazuje dowód osobisty. Cesja jest bezpłatna, numer zostaje, a nowy abonent przejmuje umowę od następnego okresu rozliczeniowego.\n\nWcześniej trzeba uregulować zaległe faktury.",
            ),
        },
    ),
    (
        "mobile",
        "roaming-in-the-eu",
        498,
        {
            "en": (
                "Can I use my phone in other EU countries at no extra cost?",
                'Yes: in the EU, Norway, Iceland and Liechtenstein you call, text and use data as at home ("roam like at home").\n\nData abroad has a fair-use limit, shown in your online account. Above it a small charge per gigabyte applies, and we send you a text message before that happens.',
            ),
            "hu": (
                "Használhatom a telefonomat más uniós országban külön díj nélkül?",
                "Igen: az EU-ban, valamint Norvégiában, Izlandon és Liechtensteinben ugyanúgy telefonálhat, üzenhet és internetezhet, mint itthon (roaming belföldi áron).\n\nA külföldi adatforgalomra méltányos használati keret vonatkozik, ezt online ügyfélfiókjában látja. E felett kis gigabájtonkénti díjat számítunk fel, erről előre SMS-ben értesítjük.",
            ),
            "pl": (
                "Czy mogę korzystać z telefonu w innych krajach UE bez dodatkowych opłat?",
                "Tak: w UE, Norwegii, Islandii i Liechtensteinie dzwonisz, piszesz SMS-y i korzystasz z internetu tak jak w kraju (roaming w cenie krajowej).\n\nInternet za granicą ma limit uczciwego korzystania, który widzisz na swoim koncie online. Po jego przekroczeniu naliczamy niewielką opłatę za gigabajt, a wcześniej wyślemy Ci SMS-a.",
            ),
        },
    ),
    (
        "mobile",
        "roaming-outside-the-eu",
        173,
        {
            "en": (
                "What does it cost to use my phone outside the EU?",
                'Outside the EU, calls and data are charged by zone; the prices are on our website under "Travelling".\n\nTo spare you surprises, data roaming outside the EU stays off until you switch it on in your online account, and we stop data at 50 euros a month unless you raise the limit.',
            ),
            "hu": (
                "Mennyibe kerül a telefonhasználat az EU-n kívül?",
                "Az EU-n kívül a hívásokat és az adatforgalmat zónák szerint számlázzuk; az árakat honlapunkon, az „Utazás” menüpontban találja.\n\nHogy ne érje meglepetés, az EU-n kívüli adatroaming mindaddig ki van kapcsolva, amíg online ügyfélfiókjában be nem kapcsolja, és havi 50 eurónál leállítjuk az adatforgalmat, hacsak nem emeli meg a keretet.",
            ),
            "pl": (
                "Ile kosztuje korzystanie z telefonu poza UE?",
                "Poza UE połączenia i internet rozliczamy według stref; ceny znajdziesz na naszej stronie w zakładce „Podróże”.\n\nŻeby oszczędzić Ci niespodzianek, roaming danych poza UE jest wyłączony, dopóki nie włączysz go na swoim koncie online, a przy 50 euro miesięcznie wstrzymujemy transmisję danych, chyba że podniesiesz limit.",
            ),
        },
    ),
    (
        "mobile",
        "mobile-data-used-up",
        322,
        {
            "en": (
                "I have used up my mobile data. What now?",
                "You can keep browsing at a reduced speed, or buy an extra data pack in your online account or by texting DATA to 1234. It works within a minute and appears on your next bill.\n\nExtra packs are valid until the end of the billing period.",
            ),
            "hu": (
                "Elfogyott a mobilinternet-keretem. Mi a teendő?",
                "Csökkentett sebességgel tovább internetezhet, vagy vásárolhat kiegészítő adatcsomagot online ügyfélfiókjában, illetve ha DATA szöveggel SMS-t küld az 1234-es számra. Egy percen belül működik, és a következő számlán jelenik meg.\n\nA kiegészítő csomagok a számlázási időszak végéig érvényesek.",
            ),
            "pl": (
                "Skończył mi się pakiet internetu mobilnego. Co teraz?",
                "Możesz dalej korzystać z internetu z obniżoną prędkością albo dokupić pakiet na swoim koncie online lub wysyłając SMS o treści DATA pod numer 1234. Zacznie działać w ciągu minuty i pojawi się na kolejnej fakturze.\n\nDokupione pakiety są ważne do końca okresu rozliczeniowego.",
            ),
        },
    ),
    (
        "mobile",
        "lost-or-stolen-phone",
        145,
        {
            "en": (
                "My phone was lost or stolen. What should I do?",
                "Call us at once, day or night: +36 1 555 0100 in Hungary, +48 22 555 01 00 in Poland. We block the SIM card so nobody can use it at your cost.\n\nA new SIM card with the same number is free at any desk, or we post it within two working days.",
            ),
            "hu": (
                "Elvesztettem a telefonomat, vagy ellopták. Mit tegyek?",
                "Hívjon minket azonnal, éjjel-nappal, a +36 1 555 0100-s számon, és letiltjuk a SIM-kártyát, hogy senki ne használhassa az Ön költségére.\n\nUgyanazzal a számmal új SIM-kártyát díjmentesen kap bármelyik irodánkban, vagy két munkanapon belül postázzuk.",
            ),
            "pl": (
                "Telefon zginął albo został skradziony. Co robić?",
                "Od razu zadzwoń do nas, o każdej porze, pod numer +48 22 555 01 00. Zablokujemy kartę SIM, żeby nikt nie mógł z niej korzystać na Twój koszt.\n\nNową kartę SIM z tym samym numerem dostaniesz bezpłatnie w każdym punkcie obsługi albo wyślemy ją pocztą w ciągu dwóch dni roboczych.",
            ),
        },
    ),
    (
        "meter",
        "submit-meter-reading",
        455,
        {
            "en": (
                "How and when do I submit my meter reading?",
                'Between the 1st and the 5th of each month, enter the reading in your online account, by text message, or with the web form (choose "Meter reading"). Write all the digits before the decimal point.\n\nIf you are unsure, a photo of the meter helps.',
            ),
            "hu": (
                "Hogyan és mikor diktálhatom be a mérőóra állását?",
                "Minden hónap 1. és 5. napja között adja meg a mérőállást online ügyfélfiókjában, SMS-ben vagy a webes űrlapon (válassza a „Mérőóra-állás” témát). A tizedesvessző előtti összes számjegyet írja be.\n\nHa bizonytalan, egy fénykép a mérőóráról sokat segít.",
            ),
            "pl": (
                "Jak i kiedy podać odczyt licznika?",
                "Między 1. a 5. dniem każdego miesiąca wpisz odczyt na swoim koncie online, wyślij go SMS-em albo przez formularz (wybierz „Odczyt licznika”). Podaj wszystkie cyfry przed przecinkiem.\n\nJeśli nie masz pewności, pomoże zdjęcie licznika.",
            ),
        },
    ),
    (
        "meter",
        "estimated-reading",
        212,
        {
            "en": (
                'My bill says "estimated reading". What does that mean?',
                "When we receive no reading, we estimate your consumption from the same period last year. The difference is settled on the next bill based on a real reading, so you never pay for more than you used.\n\nSubmitting a reading every month keeps your bills accurate.",
            ),
            "hu": (
                "A számlámon „becsült mérőállás” szerepel. Mit jelent ez?",
                "Ha nem kapunk mérőállást, a fogyasztását az előző év azonos időszaka alapján becsüljük. A különbözetet a következő, valós mérőálláson alapuló számlán elszámoljuk, így soha nem fizet többet, mint amennyit fogyasztott.\n\nHa havonta bediktálja a mérőállást, a számlái pontosak maradnak.",
            ),
            "pl": (
                "Na fakturze widzę „odczyt szacunkowy”. Co to oznacza?",
                "Gdy nie otrzymamy odczytu, szacujemy zużycie na podstawie tego samego okresu w poprzednim roku. Różnicę rozliczymy na najbliższej fakturze opartej na rzeczywistym odczycie, więc nigdy nie zapłacisz za więcej, niż faktycznie zużyto.\n\nPodawanie odczytu co miesiąc sprawia, że Twoje faktury są dokładne.",
            ),
        },
    ),
    (
        "meter",
        "faulty-meter",
        57,
        {
            "en": (
                "I think my meter is faulty. What happens next?",
                "Report it with a photo of the meter and the readings you noted. A technician checks it within 10 working days.\n\nIf the meter is faulty, we replace it free of charge and correct your bills back to the date the fault began.",
            ),
            "hu": (
                "Úgy gondolom, hibás a mérőórám. Mi történik ilyenkor?",
                "Jelentse be egy fényképpel a mérőóráról és az Ön által feljegyzett állásokkal. Szerelőnk 10 munkanapon belül ellenőrzi.\n\nHa a mérő hibás, díjmentesen kicseréljük, és a számláit a hiba kezdetéig visszamenőleg helyesbítjük.",
            ),
            "pl": (
                "Wydaje mi się, że licznik jest uszkodzony. Co dalej?",
                "Zgłoś to, dołączając zdjęcie licznika i zapisane przez siebie odczyty. Technik sprawdzi licznik w ciągu 10 dni roboczych.\n\nJeśli licznik jest uszkodzony, wymienimy go bezpłatnie i skorygujemy Twoje faktury wstecz, od dnia powstania usterki.",
            ),
        },
    ),
    (
        "account",
        "follow-my-request",
        366,
        {
            "en": (
                "How do I follow a request I have sent?",
                "Right after you send a request, we confirm it by email with its reference (for example K7MX-4R9D) and a private link to its status page. There you see your place in line, when to expect an answer, and every reply.\n\nIf you call us, keep the reference at hand: it helps us find your request at once.",
            ),
            "hu": (
                "Hogyan követhetem nyomon a bejelentésemet?",
                "Beküldés után e-mailben azonnal visszaigazoljuk a bejelentést az azonosítójával (például K7MX-4R9D) és egy személyes hivatkozással az állapotoldalához. Ott látja, hányadik a sorban, mikorra várhat választ, és minden üzenetünket.\n\nHa telefonál, tartsa kéznél az azonosítót: így azonnal megtaláljuk a bejelentését.",
            ),
            "pl": (
                "Jak sprawdzić, co dzieje się z moim zgłoszeniem?",
                "Zaraz po wysłaniu zgłoszenia potwierdzimy je e-mailem z numerem zgłoszenia (np. K7MX-4R9D) i prywatnym linkiem do strony statusu. Zobaczysz tam swoje miejsce w kolejce, kiedy możesz spodziewać się odpowiedzi i wszystkie nasze wiadomości.\n\nJeśli do nas dzwonisz, miej numer zgłoszenia pod ręką: dzięki temu od razu znajdziemy Twoją sprawę.",
            ),
        },
    ),
    (
        "account",
        "make-a-complaint",
        198,
        {
            "en": (
                "How do I make a complaint, and how long does it take?",
                "Tell us in whatever way suits you: the web form, email, phone or at a desk. A complaint made by phone is just as valid as a written one.\n\nWe confirm it at once and answer in writing within 15 days at the latest. If you disagree with our answer, you can ask for a manager to review it.",
            ),
            "hu": (
                "Hogyan tehetek panaszt, és mennyi idő alatt válaszolnak?",
                "Bármilyen módon jelezheti, ahogy Önnek kényelmes: webes űrlapon, e-mailben, telefonon vagy személyesen. A szóban tett panasz ugyanolyan érvényes, mint az írásos.\n\nAzonnal visszaigazoljuk, és legkésőbb 15 napon belül írásban válaszolunk. Ha nem ért egyet a válaszunkkal, kérheti, hogy egy vezető vizsgálja felül.",
            ),
            "pl": (
                "Jak złożyć reklamację i ile trwa jej rozpatrzenie?",
                "Zgłoś ją w sposób, który Ci odpowiada: przez formularz, e-mailem, telefonicznie albo w punkcie obsługi. Reklamacja złożona telefonicznie jest tak samo ważna jak pisemna.\n\nPotwierdzimy ją od razu i odpowiemy na piśmie najpóźniej w ciągu 15 dni. Jeśli nie zgadzasz się z odpowiedzią, możesz poprosić, by rozpatrzył ją kierownik.",
            ),
        },
    ),
    (
        "account",
        "change-contact-details",
        88,
        {
            "en": (
                "How do I change the email address or phone number on my account?",
                'Sign in to your online account and open "My details". A new email address is confirmed with a link we send to it, so that nobody else can redirect your bills.\n\nIf you can no longer sign in, visit a desk with an ID and we will update your details on the spot.',
            ),
            "hu": (
                "Hogyan módosíthatom az e-mail-címemet vagy a telefonszámomat?",
                "Jelentkezzen be online ügyfélfiókjába, és nyissa meg a „Saját adatok” menüpontot. Az új e-mail-címet egy oda küldött hivatkozással kell megerősítenie, hogy senki más ne irányíthassa át a számláit.\n\nHa már nem tud bejelentkezni, keresse fel valamelyik irodánkat személyi igazolvánnyal, és helyben módosítjuk az adatait.",
            ),
            "pl": (
                "Jak zmienić adres e-mail lub numer telefonu na koncie?",
                "Zaloguj się na swoje konto online i otwórz „Moje dane”. Nowy adres e-mail potwierdzasz linkiem, który na niego wyślemy, żeby nikt inny nie mógł przekierować Twoich faktur.\n\nJeśli nie możesz się już zalogować, odwiedź punkt obsługi z dowodem osobistym, a zmienimy dane od ręki.",
            ),
        },
    ),
]

# (channel, place, contact, calendar name or None, queue slug or None, {language: purpose});
# walk-in desks take their addresses and hours from the branches (devtools/demo/walk_in.py)
CHANNELS = [
    (
        "web",
        "",
        "",
        None,
        "general",
        {
            "en": "Best for anything that can wait a little: bills, moving, contracts, complaints. Send it any time, attach photos or documents, and get a reference at once.",
            "hu": "Mindenre, ami várhat egy kicsit: számlák, költözés, szerződés, panasz. Bármikor elküldheti, fényképet vagy dokumentumot is csatolhat, és azonnal kap egy azonosítót.",
            "pl": "Najlepszy do spraw, które mogą chwilę poczekać: faktury, przeprowadzka, umowa, reklamacje. Wyślij o dowolnej porze, dołącz zdjęcia lub dokumenty i od razu otrzymaj numer zgłoszenia.",
        },
    ),
    (
        "email",
        "",
        "help@helpdesk.example",
        None,
        "general",
        {
            "en": "Write to us from your own mailbox, for example to forward a bill or a letter. Every email becomes a request with a reference.",
            "hu": "Írjon nekünk a saját postafiókjából, például ha egy számlát vagy levelet szeretne továbbítani. Minden e-mailből azonosítóval ellátott bejelentés lesz.",
            "pl": "Napisz do nas ze swojej skrzynki, na przykład żeby przesłać fakturę albo pismo. Każdy e-mail staje się zgłoszeniem z numerem.",
        },
    ),
    (
        "phone",
        "Budapest",
        "+36 1 555 0100",
        "Budapest office",
        None,
        {
            "en": "For urgent matters: no service, a lost phone, a payment deadline today. The fault line and SIM blocking (key 9) answer day and night.",
            "hu": "Sürgős ügyekben: szolgáltatáskiesés, elveszett telefon, ma lejáró fizetési határidő. A hibabejelentés és a SIM-letiltás (9-es gomb) éjjel-nappal elérhető.",
            "pl": "W pilnych sprawach: brak usługi, zgubiony telefon, termin płatności mijający dziś. Linia awaryjna i blokada karty SIM (klawisz 9) działają całą dobę.",
        },
    ),
    (
        "phone",
        "Warszawa",
        "+48 22 555 01 00",
        "Warsaw office",  # Polish public holidays
        None,
        {
            "en": "For urgent matters: no service, a lost phone, a payment deadline today. The fault line and SIM blocking (key 9) answer day and night.",
            "hu": "Sürgős ügyekben: szolgáltatáskiesés, elveszett telefon, ma lejáró fizetési határidő. A hibabejelentés és a SIM-letiltás (9-es gomb) éjjel-nappal elérhető.",
            "pl": "W pilnych sprawach: brak usługi, zgubiony telefon, termin płatności mijający dziś. Linia awaryjna i blokada karty SIM (klawisz 9) działają całą dobę.",
        },
    ),
    (
        "walk_in",
        "",
        "",
        None,
        None,
        {
            "en": "Come in person for identity checks, contract transfers, new SIM cards and returning devices. No appointment needed: take a number at the desk and watch the screen.",
            "hu": "Személyesen intézheti a személyazonosítást igénylő ügyeket, a szerződés átírását, az új SIM-kártyát és az eszközök visszavitelét. Időpont nem kell: kérjen sorszámot, és figyelje a kijelzőt.",
            "pl": "Przyjdź osobiście w sprawach wymagających dowodu tożsamości, cesji umowy, nowej karty SIM i zwrotu urządzeń. Nie trzeba się umawiać: weź numerek i obserwuj ekran.",
        },
    ),
    (
        "chat",
        "",
        "",
        None,  # the chat's hours are its queue's calendar
        "general",
        {
            "en": "Quick questions with a quick answer, while you are on our site. An agent tells you what they are checking and how long it takes.",
            "hu": "Gyors kérdésekre gyors válasz, miközben az oldalunkon van. Ügyintézőnk mindig elmondja, mit néz meg, és mennyi ideig tart.",
            "pl": "Szybkie pytania i szybkie odpowiedzi, gdy jesteś na naszej stronie. Konsultant zawsze powie Ci, co sprawdza i ile to potrwa.",
        },
    ),
]

# (path of keys, English, Hungarian, Polish)
PHONE_MENU = [
    ("1", "Bills and payments", "Számlák és befizetések", "Faktury i płatności"),
    ("1 1", "Your balance and due date", "Egyenleg és fizetési határidő", "Saldo i termin płatności"),
    (
        "1 2",
        "Payment arrangements and instalments",
        "Fizetési haladék és részletfizetés",
        "Odroczenie płatności i raty",
    ),
    ("1 3", "A question about a bill", "Kérdés egy számláról", "Pytanie o fakturę"),
    ("2", "Faults and outages", "Hibák és üzemzavarok", "Usterki i awarie"),
    ("2 1", "Home internet and TV", "Otthoni internet és tévé", "Internet domowy i telewizja"),
    ("2 2", "Mobile network", "Mobilhálózat", "Sieć komórkowa"),
    ("2 3", "Power cut", "Áramszünet", "Brak prądu"),
    (
        "3",
        "Moving, new contract or cancellation",
        "Költözés, új szerződés vagy felmondás",
        "Przeprowadzka, nowa umowa lub wypowiedzenie",
    ),
    ("4", "Meter readings", "Mérőóra-állás bediktálása", "Podanie odczytu licznika"),
    (
        "9",
        "Lost or stolen phone: block the SIM (day and night)",
        "Elveszett vagy ellopott telefon: SIM-letiltás (éjjel-nappal)",
        "Zgubiony lub skradziony telefon: blokada karty SIM (całą dobę)",
    ),
    ("0", "Speak to an agent", "Beszélni szeretnék egy ügyintézővel", "Rozmowa z konsultantem"),
]


@transaction.atomic
def seed_faq() -> int:
    """Categories and entries (published, with their demo view counts); returns entries created."""
    categories = {}
    for position, (slug, en, hu, pl) in enumerate(CATEGORIES):
        categories[slug], _created = FaqCategory.objects.update_or_create(
            slug=slug, defaults={"name_en": en, "name_hu": hu, "name_pl": pl, "position": position}
        )
    created = 0
    for position, (category, slug, views, texts) in enumerate(ENTRIES):
        if FaqEntry.objects.filter(slug=slug).exists():
            continue
        fields = {
            f"{part}_{code}": text
            for code, pair in texts.items()
            for part, text in zip(("question", "answer"), pair, strict=True)
        }
        FaqEntry.objects.create(
            category=categories[category],
            slug=slug,
            position=position,
            is_published=True,
            published_at=timezone.now(),
            view_count=views,  # so the home page's "most asked" has an order to show
            **fields,
        )
        created += 1
    return created


@transaction.atomic
def seed_directory() -> None:
    calendars = {calendar.name: calendar for calendar in BusinessCalendar.objects.all()}
    queues = {queue.slug: queue for queue in Queue.objects.all()}
    for position, (channel, place, contact, calendar, queue, purposes) in enumerate(CHANNELS):
        ChannelListing.objects.get_or_create(
            channel=channel,
            place=place,
            defaults={
                "contact": contact,
                "calendar": calendars.get(calendar) if calendar else None,
                "queue": queues.get(queue) if queue else None,
                "position": position,
                **{f"purpose_{code}": text for code, text in purposes.items()},
            },
        )
    options: dict[str, PhoneMenuOption] = {}
    for path, en, hu, pl in PHONE_MENU:
        *parent_path, key = path.split()
        parent = options.get(" ".join(parent_path)) if parent_path else None
        options[path], _created = PhoneMenuOption.objects.get_or_create(
            parent=parent, key=key, defaults={"label_en": en, "label_hu": hu, "label_pl": pl}
        )


def seed_faq_and_directory() -> int:
    created = seed_faq()
    seed_directory()
    return created
