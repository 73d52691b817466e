"""The IMAP poller: fetch new mail from a mailbox and hand each message to the email intake.

A message is flagged as handled only after the ingest has committed, so a crash between the
two loses nothing (the message is fetched again next time) and duplicates nothing (the ingest
recognises the Message-ID it already has). We flag with our own keyword rather than \\Seen:
a person reading the shared mailbox in a mail client must not make us skip a message.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

HANDLED_FLAG = "$HelpdeskHandled"
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class MailboxAddress:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str

    @classmethod
    def from_url(cls, url: str) -> MailboxAddress:
        """imaps://user:password@host:993/INBOX (user and password URL-encoded)."""
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps"):
            raise ValueError("IMAP_URL must start with imap:// or imaps://")
        if not parts.hostname or not parts.username:
            raise ValueError("IMAP_URL needs a user and a host: imaps://user:password@host:993/INBOX")
        secure = parts.scheme == "imaps"
        return cls(
            secure=secure,
            host=parts.hostname,
            port=parts.port or (993 if secure else 143),
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )

    def __str__(self):
        return f"{'imaps' if self.secure else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder}"


def connect(mailbox: MailboxAddress) -> imaplib.IMAP4:
    if mailbox.secure:
        connection = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
        )
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    connection.login(mailbox.user, mailbox.password)
    typ, data = connection.select(_quote(mailbox.folder))
    if typ != "OK":
        raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder}: {data!r}")
    return connection


def poll(url: str, *, limit: int = 100, ingest=None) -> list:
    """Ingest up to `limit` unhandled messages; returns the ingest results in order."""
    if ingest is None:
        from helpdesk.mail.inbound import ingest_message as ingest
    mailbox = MailboxAddress.from_url(url)
    connection = connect(mailbox)
    results = []
    try:
        for uid in unhandled_uids(connection)[:limit]:
            raw = fetch(connection, uid)
            if raw is None:
                continue
            result = ingest(raw, source=f"{mailbox}#{uid.decode()}")
            # Only now, with the ticket committed, does the mailbox learn the message is handled.
            connection.uid("STORE", uid, "+FLAGS", f"({HANDLED_FLAG})")
            results.append(result)
    finally:
        _logout(connection)
    return results


def unhandled_uids(connection: imaplib.IMAP4) -> list[bytes]:
    typ, data = connection.uid("SEARCH", None, "UNKEYWORD", HANDLED_FLAG, "UNDELETED")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"search failed: {data!r}")
    return data[0].split() if data and data[0] else []


def fetch(connection: imaplib.IMAP4, uid: bytes) -> bytes | None:
    # BODY.PEEK leaves \Seen alone: people reading the mailbox see what is new to them.
    typ, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"fetch of {uid!r} failed: {data!r}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    logger.warning("message %s vanished before it could be fetched", uid)
    return None


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logout(connection: imaplib.IMAP4) -> None:
    try:
        connection.close()
        connection.logout()
    except (imaplib.IMAP4.error, OSError):
        logger.debug("IMAP logout failed", exc_info=True)
