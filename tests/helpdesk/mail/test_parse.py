"""The email parser: pure functions, tested with bytes."""

from pathlib import Path

import pytest

from helpdesk.mail.parse import parse
from helpdesk.mail.text import decode_bytes, guess_decode, guess_language, html_to_text, split_quoted

CORPUS = Path(__file__).resolve().parents[2] / "email_corpus"
REPLY_BODIES = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora" / "email" / "reply_bodies"
TRIMMER = REPLY_BODIES / "discourse_email_reply_trimmer"


def message(headers: str, body: bytes = b"Hello\n") -> bytes:
    return headers.strip().encode() + b"\n\n" + body


def test_iso_8859_2_hungarian_letters_come_out_right():
    parsed = parse((CORPUS / "02_hu_iso8859-2_8bit.eml").read_bytes())

    assert "Győr helyett Gödöllő" in parsed.text
    assert parsed.from_name == "Kovács Ödön"
    assert parsed.subject == "Hibás számlázási cím"


def test_windows_1250_polish_letters_come_out_right():
    parsed = parse((CORPUS / "03_pl_windows1250_quoted_printable.eml").read_bytes())

    assert "żółć gęślą jaźń" in parsed.text
    assert parsed.from_name == "Małgorzata Świętek"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Kérem, hétfőn délután szállítsák ki, előre is köszönöm.", "cp1250"),
        ("Kérem, hétfőn délután szállítsák ki, előre is köszönöm.", "iso-8859-2"),
        ("Proszę o korektę faktury, źle wpisano nazwisko: Świętokrzyska, ąśź.", "cp1250"),
        ("Proszę o korektę faktury, źle wpisano nazwisko: Świętokrzyska, ąśź.", "iso-8859-2"),
        ("Proszę o korektę faktury", "utf-8"),
    ],
)
def test_undeclared_charsets_are_guessed(text, codec):
    assert guess_decode(text.encode(codec)) == text
    assert decode_bytes(text.encode(codec), "us-ascii") == text


def test_utf8_labelled_latin1_is_read_as_utf8():
    assert decode_bytes("Łódź".encode(), "iso-8859-1") == "Łódź"


def test_malformed_encoded_words_and_raw_8bit_headers_are_decoded():
    parsed = parse((CORPUS / "33_malformed_encoded_words.eml").read_bytes())

    assert parsed.subject.startswith("Prośba o zwrot ą")
    assert parsed.from_name == "Wiśniewski Józef"


def test_html_only_mail_becomes_readable_text():
    text = html_to_text(
        '<p>Hi,</p><p>see <a href="https://shop.example/o/1">my order</a>:</p>'
        "<ol><li>kettle</li><li>toaster</li></ol><p>Thanks<br>John</p><script>alert(1)</script>"
    )

    assert text == "Hi,\n\nsee my order (https://shop.example/o/1):\n\n1. kettle\n2. toaster\n\nThanks\nJohn"


def test_attachments_keep_their_encoded_names_and_inline_images_their_content_id():
    rfc2231 = parse((CORPUS / "10_attachment_rfc2231_filename.eml").read_bytes())
    rfc2047 = parse((CORPUS / "11_attachment_rfc2047_filename.eml").read_bytes())
    inline = parse((CORPUS / "12_inline_image_related.eml").read_bytes())

    assert [a.filename for a in rfc2231.attachments] == ["számla_március.pdf"]
    assert rfc2231.attachments[0].content.startswith(b"%PDF")
    assert [a.filename for a in rfc2047.attachments] == ["Kérelem ősz.pdf"]
    (image,) = inline.attachments
    assert (image.content_id, image.inline, image.content_type) == ("zdjecie1@example.pl", True, "image/png")
    assert "Paczka przyszła uszkodzona" in inline.text


def test_threading_headers_are_normalised():
    parsed = parse(
        message("From: a@example.com\nIn-Reply-To: <<abc@x.example>>\nReferences: <one@x> junk <two@x>")
    )

    assert parsed.in_reply_to == ("<abc@x.example>",)
    assert parsed.references == ("<one@x>", "<two@x>")
    assert parsed.thread_ids == ("<abc@x.example>", "<two@x>", "<one@x>")


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted"),
        ("X-Autoreply: yes", "X-Autoreply"),
        ("X-Autorespond: yes", "X-Autorespond"),
        ("Precedence: bulk", "Precedence"),
        ("List-Id: <news.example.com>", "mailing list"),
        ("List-Unsubscribe: <mailto:x@example.com>", "mailing list"),
        ("Subject: Automatikus válasz: Megkaptuk", "auto-reply"),
        ("Subject: Odpowiedź automatyczna: zgłoszenie", "auto-reply"),
        ("Subject: Out of Office: your request", "auto-reply"),
    ],
)
def test_machine_written_mail_is_recognised(headers, why):
    parsed = parse(message(f"From: someone@example.com\n{headers}"))
    assert why in parsed.automatic


def test_no_reply_senders_are_automatic_and_people_are_not():
    assert "no-reply" in parse(message("From: No Reply <noreply@shop.example>")).automatic
    assert parse(message("From: Anna <anna@example.pl>\nSubject: Auto do naprawy")).automatic == ""


def test_a_delivery_status_report_names_the_original_and_the_failure():
    parsed = parse((CORPUS / "26_bounce_dsn_of_our_notification.eml").read_bytes())

    assert parsed.bounce.is_failure
    assert parsed.bounce.recipient == "marek.nowak@example.pl"
    assert "User unknown" in parsed.bounce.diagnostic
    assert parsed.bounce.original_message_ids[0] == "<9c4d7e21.W3PQ-7HXC@helpdesk.example>"


def test_a_home_made_bounce_is_recognised_too():
    parsed = parse((CORPUS / "27_bounce_plain_text_hu.eml").read_bytes())

    assert parsed.bounce.is_failure
    assert "<5f1e9a0c.K7MX-4R9D@helpdesk.example>" in parsed.bounce.original_message_ids


def test_a_delayed_report_is_a_warning_and_a_read_receipt_is_no_bounce():
    delayed = parse((CORPUS / "28_dsn_delayed_warning.eml").read_bytes())
    receipt = parse((CORPUS / "29_read_receipt_mdn_hu.eml").read_bytes())

    assert not delayed.bounce.is_failure
    assert receipt.bounce is None
    assert receipt.automatic == "read receipt"


def test_broken_mail_never_raises():
    for raw in [b"", b"\x00\xff\xfe", b"Subject: =?none?Q?TEST?=", b"Content-Type: multipart/mixed\n\n--x\n"]:
        parsed = parse(raw)
        assert parsed.from_address == ""


def test_a_multipart_without_boundary_parameter_is_repaired():
    raw = message(
        "From: a@example.com\nContent-Type: multipart/alternative",
        b"--frontier1\nContent-Type: text/plain\n\nPlain words\n--frontier1--\n",
    )
    assert parse(raw).text == "Plain words"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jó napot, a számlám kétszer lett levonva. Kérem segítsenek!", "hu"),
        ("Dzień dobry, zamówienie nie dotarło. Proszę o pomoc.", "pl"),
        ("Hello, my order did not arrive, please help.", "en"),
        ("OK 123", ""),
    ],
)
def test_language_is_guessed_only_when_the_text_says_so(text, language):
    assert guess_language(text) == language


def test_quoted_history_is_folded_in_hungarian_and_polish():
    hungarian = (
        "Rendben.\n\n2025. márc. 3., H 9:20 Ügyfélszolgálat <help@example.hu> ezt írta:\n> Kedves Anna!\n"
    )
    polish = "Dziękuję.\n\nDnia 3 marca 2025 Obsługa <help@example.pl> napisał(a):\n> Dzień dobry\n"
    outlook = (
        "Thanks.\n\nFeladó: Ügyfélszolgálat <help@example.hu>\nElküldve: 2025. március 3.\nTárgy: x\n\nold"
    )

    assert split_quoted(hungarian) == ("Rendben.", hungarian.split("\n\n", 1)[1].strip())
    assert split_quoted(polish)[0] == "Dziękuję."
    assert split_quoted(outlook)[0] == "Thanks."
    assert split_quoted("> only a quote")[0] == "> only a quote"


@pytest.mark.skipif(not TRIMMER.is_dir(), reason="the shared reply_bodies corpus is not beside this checkout")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in (TRIMMER / "emails").glob("*.txt")) if TRIMMER.is_dir() else []
)
def test_reply_bodies_fold_like_the_expected_trimmed_text(name):
    new, _quoted = split_quoted((TRIMMER / "emails" / name).read_text())
    expected = (TRIMMER / "trimmed" / name).read_text()

    def lines(text):
        return [line.rstrip() for line in text.strip().splitlines()]

    assert lines(new) == lines(expected)


@pytest.mark.skipif(
    not REPLY_BODIES.is_dir(), reason="the shared reply_bodies corpus is not beside this checkout"
)
def test_polish_reply_bodies_keep_the_new_text_and_fold_the_quote():
    folder = REPLY_BODIES / "mail_parser_reply_pl"
    for name in ("email_pl_1_1.txt", "email_pl_1_2.txt", "email_pl_1_3.txt"):
        new, _quoted = split_quoted((folder / name).read_text())
        assert "Jak się masz?" in new
        assert "Wszystko w porządku" not in new
    assert "Wszystko w porządku" in split_quoted((folder / "email_pl_1_2.txt").read_text())[1]
