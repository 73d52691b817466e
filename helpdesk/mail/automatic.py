"""Recognising mail written by machines: auto-replies, list mail, read receipts and bounces.

None of it may ever be acknowledged (that is how mail loops start), and a bounce of one of our
notifications must find that notification. Pure functions on a parsed `email.message.Message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from helpdesk.mail.text import guess_decode


@dataclass(frozen=True)
class Bounce:
    """A delivery status report: a failure, or only a warning that delivery is delayed."""

    action: str  # "failed" or "delayed"
    recipient: str
    diagnostic: str
    original_message_ids: tuple[str, ...]

    @property
    def is_failure(self) -> bool:
        return self.action != "delayed"

    def describe(self) -> str:
        parts = [self.recipient, self.diagnostic]
        return ": ".join(part for part in parts if part) or self.action


def _header(message: Message, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name:
            return " ".join(str(value).split())[:2000]
    return ""


def _report_type(message: Message) -> str:
    content_type = _header(message, "content-type").lower()
    if not content_type.startswith("multipart/report"):
        return ""
    match = re.search(r"report-type\s*=\s*\"?([\w-]+)", content_type)
    return match[1] if match else "delivery-status"


_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|"
    r"nie[-_.]?odpowiadaj|ne[-_.]?valaszolj)(?:[+-].*)?@",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic|matyczna)?[ -]?(?:reply|response|odpowiedź)|odpowiedź automatyczna"
    r"|automatikus válasz|out of (?:the )?office|házon kívül|irodán kívül|nieobecność|poza biurem"
    r"|abwesenheitsnotiz|réponse automatique|vacation reply|urlop)\b",
    re.IGNORECASE,
)


def automatic_reason(message: Message, *, subject: str, from_address: str) -> str:
    """Why this message was written by a machine, or "" when a person wrote it."""
    auto_submitted = _header(message, "auto-submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        value = _header(message, name)
        if value and (name != "x-auto-response-suppress" or _AUTO_SUBJECT.search(subject)):
            return f"{name.title()}: {value}"
    report = _report_type(message)
    if report == "disposition-notification":
        return "read receipt"
    if report:
        return f"report ({report})"
    precedence = _header(message, "precedence").lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("list-id", "list-unsubscribe"):
        if _header(message, name):
            return f"mailing list ({name.title()})"
    if _header(message, "return-path").strip() == "<>":
        return "sent from the null address"
    if from_address and _NO_REPLY.match(from_address):
        return f"no-reply sender ({from_address})"
    if _AUTO_SUBJECT.search(subject):
        return "auto-reply (subject)"
    return ""


_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered mail|delivery status notification|delivery failure|delivery has failed"
    r"|mail delivery failed|failure notice|returned mail|non[- ]?deliver|could not send message"
    r"|kézbesíthetetlen|nem kézbesíthető|nie można dostarczyć|niedostarczon|zustellung|delayed mail"
    r"|bounce notification|mail system error|warning: could not",
    re.IGNORECASE,
)
_STATUS = re.compile(r"^\s*Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.IGNORECASE | re.MULTILINE)
_ACTION = re.compile(r"^\s*Action:\s*([\w-]+)", re.IGNORECASE | re.MULTILINE)
_RECIPIENT = re.compile(
    r"^\s*(?:Final|Original)-Recipient:\s*(?:rfc822\s*;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?",
    re.IGNORECASE | re.MULTILINE,
)
_DIAGNOSTIC = re.compile(
    r"^\s*Diagnostic-Code:\s*(?:[\w-]+\s*;)?\s*(.+(?:\n[ \t]+.+)*)", re.IGNORECASE | re.MULTILINE
)
_FAILED_RECIPIENT = re.compile(
    r"(?:^\s*<?([^\s<>@]+@[^\s<>]+?)>?\s*$\n(?:.*\n){0,3}?.*(?:error|failed|rejected|unknown|full|quota|"
    r"does not exist|no such|unavailable|denied)|(?:target mail address|failed recipient|recipient address"
    r"|X-Failed-Recipients|to the following address(?:es)?)\s*:?\s*(?:\n\s*)?"
    r"<?([^\s<>@]+@[^\s<>]+?)>?[\s,;]*$)",
    re.IGNORECASE | re.MULTILINE,
)
_PLAIN_REASON = re.compile(
    r"^.*(?:\b5\d\d\b|\b5\.\d\.\d\b|mailbox (?:is )?full|quota|user unknown|no such user|does not exist"
    r"|reject reason|unknown user|recipient address rejected|too many hops|not found).*$",
    re.IGNORECASE | re.MULTILINE,
)
_BODY_MESSAGE_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


def _body_text(raw: bytes) -> str:
    _head, _sep, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    return guess_decode(body[:400_000]) if body else ""


def find_bounce(message: Message, raw: bytes, *, subject: str, from_address: str) -> Bounce | None:
    """A delivery status report (RFC 3464 or one of the common home-made formats), or None."""
    report = _report_type(message)
    if report and report != "delivery-status":
        return None
    body = _body_text(raw)
    from_daemon = bool(re.match(r"^(?:mailer[-_.]?daemon|postmaster)@", from_address or "", re.IGNORECASE))
    null_sender = _header(message, "return-path").strip() in ("<>", "")
    if not report:
        looks_like = _BOUNCE_SUBJECT.search(subject) and (
            from_daemon or null_sender or _header(message, "auto-submitted") or _STATUS.search(body)
        )
        machine = _STATUS.search(body) or _header(message, "auto-submitted") or null_sender
        if not (looks_like or (from_daemon and machine)):
            return None
    actions = [action.lower() for action in _ACTION.findall(body)]
    statuses = _STATUS.findall(body)
    warning = (
        (actions and all(action in ("delayed", "relayed", "delivered", "expanded") for action in actions))
        or (not actions and statuses and all(status == "4" for status in statuses))
        or "warning" in _header(message, "auto-submitted").lower()
        or re.match(r"^\s*(?:warning|delayed mail)", subject, re.IGNORECASE)
    )
    recipient = _first(_RECIPIENT.findall(body)) or _first(
        a or b for a, b in _FAILED_RECIPIENT.findall(body[:20000])
    )
    diagnostic = _first(_DIAGNOSTIC.findall(body)) or _first(_PLAIN_REASON.findall(body[:20000]))
    own_id = _header(message, "message-id").strip()
    ids = [mid for mid in _BODY_MESSAGE_ID.findall(body) if mid != own_id]
    for name in ("in-reply-to", "references"):
        ids.extend(re.findall(r"<[^<>\s]+>", _header(message, name)))
    return Bounce(
        action="delayed" if warning else "failed",
        recipient=recipient.lower(),
        diagnostic=" ".join(diagnostic.split())[:500],
        original_message_ids=tuple(dict.fromkeys(ids)),
    )


def _first(values) -> str:
    return next((value.strip() for value in values if value and value.strip()), "")
