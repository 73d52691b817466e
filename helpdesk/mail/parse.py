"""Turn the raw bytes of an email into plain facts: who, what, which thread, and what kind of mail.

`parse(raw)` never raises on bad mail; what it could not make sense of is listed in `defects`.
Both inbound paths (the `ingest_email` command and the IMAP poller) share it. It uses the
standard library's parser with the modern policy, falls back to compat32 when that one gives up,
and decodes bodies and headers itself, because real mail lies about its charsets.
"""

from __future__ import annotations

import base64
import binascii
import email
import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import Message
from email.utils import collapse_rfc2231_value, getaddresses, parseaddr, parsedate_to_datetime

from helpdesk.mail.automatic import Bounce, automatic_reason, find_bounce
from helpdesk.mail.text import decode_bytes, guess_decode, html_to_text, redecode_surrogates, split_quoted

MAX_HEADER_CHARS = 4000


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""
    inline: bool = False


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    from_name: str
    from_address: str
    to: tuple[str, ...]
    date: datetime | None
    text: str
    quoted_text: str
    attachments: tuple[ParsedAttachment, ...]
    automatic: str  # why this is machine-written mail ("" for a person's message)
    bounce: Bounce | None
    defects: tuple[str, ...]

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers, nearest first."""
        return tuple(dict.fromkeys([*self.in_reply_to, *reversed(self.references)]))


# --- headers -------------------------------------------------------------------------------


def raw_header(message: Message, name: str) -> str:
    """The first value of a header as it was sent (no parsing that could raise)."""
    name = name.lower()
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)[:MAX_HEADER_CHARS]
    return ""


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words, tolerating unknown charsets, bad padding and raw 8-bit."""
    value = redecode_surrogates(value)
    try:
        parts = decode_header(value)
    except (ValueError, binascii.Error, UnicodeError, AssertionError):
        return " ".join(value.split())
    decoded = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            decoded.append(chunk)
        else:
            decoded.append(
                decode_bytes(chunk, charset)
                if charset
                else redecode_surrogates(chunk.decode("ascii", errors="surrogateescape"))
            )
    return " ".join("".join(decoded).split())


_MSGID = re.compile(r"<+\s*([^<>\s]+@[^<>\s]+?)\s*>+|<+\s*([^<>\s]+)\s*>+")


def message_ids(value: str) -> tuple[str, ...]:
    """Every msg-id in a header, normalised to "<…>" (also "<<…>>" and other damage)."""
    found = [f"<{a or b}>" for a, b in _MSGID.findall(value or "")]
    return tuple(dict.fromkeys(found))


def _message_id(message: Message) -> str:
    value = raw_header(message, "message-id").strip()
    ids = message_ids(value)
    if ids:
        return ids[0][:998]
    return f"<{value.strip('<> ')}>"[:998] if value.strip("<> ") else ""


_ADDRESS = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\".]{2,}$")


def usable_address(address: str) -> str:
    address = (address or "").strip().strip("<>").strip()
    return address.lower() if _ADDRESS.match(address) else ""


def _sender(message: Message) -> tuple[str, str]:
    for header in ("from", "reply-to", "sender"):
        value = raw_header(message, header)
        if not value:
            continue
        name, address = parseaddr(redecode_surrogates(value))
        name = decode_words(name) if name else ""
        if usable_address(address):
            return name.strip("\"' "), usable_address(address)
        if header == "from":
            fallback = (decode_words(value), "")
    return fallback if "fallback" in locals() else ("", "")


def _recipients(message: Message) -> tuple[str, ...]:
    values = [redecode_surrogates(raw_header(message, name)) for name in ("to", "cc")]
    return tuple(address for _name, address in getaddresses(values) if usable_address(address))


def _date(message: Message) -> datetime | None:
    value = raw_header(message, "date")
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- body and attachments ------------------------------------------------------------------


def content_type_of(part: Message) -> str:
    value = raw_header(part, "content-type").split(";")[0].strip().lower()
    if "/" not in value:
        return part.get_default_type()
    return value


def param(part: Message, name: str, header: str = "content-type") -> str:
    """A header parameter as sent (RFC 2231 joined); the modern policy would already mangle 8-bit."""
    raw = Message()
    raw[header] = redecode_surrogates(raw_header(part, header))
    try:
        value = raw.get_param(name, header=header)
    except (ValueError, IndexError, TypeError):
        return ""
    if value is None:
        return ""
    try:
        value = collapse_rfc2231_value(value, errors="replace", fallback_charset="utf-8")
    except (LookupError, TypeError, ValueError):
        value = value[2] if isinstance(value, tuple) else str(value)
    value = str(value)
    if "%" in value and "''" in value:  # RFC 2231 value left undecoded
        value = value.split("''", 1)[1]
    return value


def payload_bytes(part: Message) -> bytes:
    """The decoded bytes of a leaf part, whatever its (possibly misspelled) transfer encoding."""
    # get_payload() would decode 8-bit text with the declared charset, lossily; we want the bytes.
    payload = part._payload
    if isinstance(payload, list):
        return b""
    raw = str(payload).encode("ascii", errors="surrogateescape")
    encoding = raw_header(part, "content-transfer-encoding").strip().strip(";").lower()
    if "base64" in encoding:
        data = re.sub(rb"[^A-Za-z0-9+/]", b"", raw.split(b"=", 1)[0])
        data = data[: len(data) - len(data) % 4] if len(data) % 4 == 1 else data
        try:
            return base64.b64decode(data + b"=" * (-len(data) % 4))
        except (binascii.Error, ValueError):
            return raw
    if "quoted" in encoding:
        return quopri.decodestring(raw)
    if "uuencode" in encoding or encoding == "x-uue":
        try:
            return part.get_payload(decode=True) or raw
        except (ValueError, binascii.Error):
            return raw
    return raw


def part_text(part: Message) -> str:
    return decode_bytes(payload_bytes(part), param(part, "charset"))


def _filename(part: Message) -> str:
    name = param(part, "filename", "content-disposition") or param(part, "name")
    name = decode_words(name) if name else ""
    return redecode_surrogates(name).strip()


def _repair_multipart(part: Message, parse_policy) -> Message | None:
    """A multipart without a usable boundary: find the boundary in the body and parse again."""
    payload = part._payload
    if not isinstance(payload, str):
        return None
    match = re.search(r"^--([^\s]{6,}?)(?:--)?\s*$", payload, re.MULTILINE)
    if not match:
        return None
    rebuilt = f'Content-Type: {content_type_of(part)}; boundary="{match[1]}"\n\n'.encode() + payload.encode(
        "ascii", errors="surrogateescape"
    )
    repaired = email.message_from_bytes(rebuilt, policy=parse_policy)
    return repaired if repaired.is_multipart() else None


@dataclass
class _Collected:
    plain: list[str]
    html: list[str]
    attachments: list[ParsedAttachment]


_SKIPPED_PARTS = {
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "message/feedback-report",
    "text/rfc822-headers",
    "message/rfc822-headers",
}


def _walk(part: Message, found: _Collected, parse_policy, depth: int = 0) -> None:
    ctype = content_type_of(part)
    if depth > 20:
        return
    if ctype.startswith("multipart/"):
        if not part.is_multipart():
            repaired = _repair_multipart(part, parse_policy)
            if repaired is not None:
                return _walk(repaired, found, parse_policy, depth + 1)
            found.plain.append(part_text(part))
            return None
        children = part.get_payload()
        if ctype == "multipart/alternative":
            return _walk_alternative(children, found, parse_policy, depth)
        for child in children:
            _walk(child, found, parse_policy, depth + 1)
        return None
    if ctype in _SKIPPED_PARTS:
        return None
    disposition = raw_header(part, "content-disposition").split(";")[0].strip().lower()
    filename = _filename(part)
    if ctype in ("text/plain", "text/html", "text") and not filename and disposition != "attachment":
        text = part_text(part)
        (found.html if ctype == "text/html" else found.plain).append(text)
        return None
    if ctype == "message/rfc822":
        content = _rfc822_bytes(part)
        inner = email.message_from_bytes(content, policy=policy.compat32)
        filename = filename or (decode_words(raw_header(inner, "subject")) or "message")[:80] + ".eml"
    else:
        content = payload_bytes(part)
    if not content:
        return None
    content_id = raw_header(part, "content-id").strip().strip("<>")
    found.attachments.append(
        ParsedAttachment(
            filename=filename or _default_name(ctype, len(found.attachments) + 1),
            content_type=ctype,
            content=content,
            content_id=content_id,
            inline=disposition == "inline" or (bool(content_id) and disposition != "attachment"),
        )
    )
    return None


def _walk_alternative(children, found: _Collected, parse_policy, depth: int) -> None:
    # Prefer the plain version when it says something; attachments of every branch are kept.
    branches = []
    for child in children:
        branch = _Collected([], [], [])
        _walk(child, branch, parse_policy, depth + 1)
        branches.append(branch)
        found.attachments.extend(branch.attachments)
    plain = [branch for branch in branches if "".join(branch.plain).strip()]
    html = [branch for branch in branches if "".join(branch.html).strip()]
    if plain:
        found.plain.extend(plain[0].plain)
    elif html:
        found.html.extend(html[-1].html)


def _rfc822_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        try:
            return payload[0].as_bytes(policy=policy.compat32)
        except (ValueError, LookupError, UnicodeError, TypeError):
            return str(payload[0]).encode("utf-8", errors="replace")
    return payload_bytes(part)


def _default_name(content_type: str, number: int) -> str:
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "application/pdf": ".pdf"}
    return f"attachment-{number}{extension.get(content_type, '')}"


# --- the whole message ---------------------------------------------------------------------


def _parse_tree(raw: bytes) -> tuple[Message, object, list[str]]:
    defects: list[str] = []
    for parse_policy in (policy.default, policy.compat32):
        try:
            message = email.message_from_bytes(raw, policy=parse_policy)
            message.is_multipart()
            return message, parse_policy, defects
        except Exception as error:
            defects.append(f"parser ({parse_policy.__class__.__name__}): {type(error).__name__}")
    raise ValueError("unparseable message")


def parse(raw: bytes) -> ParsedEmail:
    message, parse_policy, defects = _parse_tree(raw)
    found = _Collected([], [], [])
    try:
        _walk(message, found, parse_policy)
    except Exception as error:
        defects.append(f"structure: {type(error).__name__}")
        if not found.plain and not found.html:
            found.plain.append(guess_decode(raw.partition(b"\n\n")[2] or raw.partition(b"\r\n\r\n")[2]))
    plain = "\n\n".join(text.strip() for text in found.plain if text.strip())
    body = plain if plain.strip() else "\n\n".join(html_to_text(html) for html in found.html if html.strip())
    body = _tidy(body)
    text, quoted = split_quoted(body)
    defects.extend(type(defect).__name__ for part in message.walk() for defect in part.defects)
    from_name, from_address = _sender(message)
    subject = decode_words(raw_header(message, "subject"))
    return ParsedEmail(
        message_id=_message_id(message),
        in_reply_to=message_ids(raw_header(message, "in-reply-to")),
        references=message_ids(raw_header(message, "references")),
        subject=subject,
        from_name=from_name,
        from_address=from_address,
        to=_recipients(message),
        date=_date(message),
        text=text,
        quoted_text=quoted,
        attachments=tuple(found.attachments),
        automatic=automatic_reason(message, subject=subject, from_address=from_address),
        bounce=find_bounce(message, raw, subject=subject, from_address=from_address),
        defects=tuple(dict.fromkeys(defects)),
    )


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
