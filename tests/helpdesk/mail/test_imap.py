"""The IMAP poller against a real Dovecot, started on a loopback port with a temporary mail folder."""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from helpdesk.mail import imap
from helpdesk.models import InboundEmail, Ticket

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "helpdesk", "s3cret pass"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dovecot():
    if not os.path.exists(DOVECOT):
        if os.environ.get("CI") == "true":
            pytest.fail(
                "dovecot is not installed (apt-get install dovecot-imapd); the IMAP test must run in CI"
            )
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    # Dovecot's unprivileged processes must reach the folder, so not under pytest's private
    # temporary directory: a directory of its own in /tmp, readable by them.
    root = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    root.chmod(0o755)
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    shutil.chown(root / "mail", "nobody", "nogroup")
    shutil.chown(root / "home", "nobody", "nogroup")
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    server = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "dovecot did not start"
            time.sleep(0.1)  # waiting for a real server process to listen
    yield f"imap://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}/INBOX"
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(root, ignore_errors=True)


def deliver(url, *messages):
    mailbox = imap.MailboxAddress.from_url(url)
    connection = imaplib.IMAP4(mailbox.host, mailbox.port)
    connection.login(mailbox.user, mailbox.password)
    for message in messages:
        connection.append("INBOX", None, None, message.as_bytes())
    connection.logout()


def email(subject, body, *, sender="eva.nowak@example.pl", message_id=None, **headers):
    message = EmailMessage()
    message["From"] = f"Ewa Nowak <{sender}>"
    message["To"] = "pomoc@helpdesk.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{abs(hash((subject, body)))}@example.pl>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def flagged(url):
    connection = imap.connect(imap.MailboxAddress.from_url(url))
    try:
        _typ, data = connection.uid("SEARCH", None, "KEYWORD", imap.HANDLED_FLAG)
        return len(data[0].split())
    finally:
        connection.logout()


def test_mailbox_url_is_read_with_its_parts():
    mailbox = imap.MailboxAddress.from_url("imaps://help%40firm.hu:p%C3%A1ss@mail.firm.hu/Support/Inbox")
    assert (mailbox.secure, mailbox.host, mailbox.port) == (True, "mail.firm.hu", 993)
    assert (mailbox.user, mailbox.password, mailbox.folder) == ("help@firm.hu", "páss", "Support/Inbox")
    with pytest.raises(ValueError, match="imap"):
        imap.MailboxAddress.from_url("pop3://user@host")


@pytest.mark.django_db(transaction=True)
def test_poller_turns_new_mail_into_tickets_and_marks_it_handled(dovecot, queue):
    deliver(
        dovecot,
        email("Brak internetu od rana", "Dzień dobry, od rana nie mam internetu. Proszę o pomoc."),
        email("Automatyczna odpowiedź", "Jestem na urlopie.", Auto_Submitted="auto-replied"),
    )

    results = imap.poll(dovecot)

    assert [result.outcome for result in results] == ["created", "ignored"]
    ticket = Ticket.objects.get()
    assert ticket.channel == "email"
    assert "od rana nie mam internetu" in ticket.entries.get(kind="message").body
    assert flagged(dovecot) == 2
    assert imap.poll(dovecot) == []  # nothing new: nothing fetched twice


@pytest.mark.django_db(transaction=True)
def test_a_crash_before_flagging_duplicates_nothing(dovecot, queue):
    deliver(dovecot, email("Számla kétszer", "Kétszer vonták le a számlám összegét."))

    def ingest_then_crash(raw, *, source):
        from helpdesk.mail.inbound import ingest_message

        ingest_message(raw, source=source)
        raise ConnectionError("worker lost its connection before flagging")

    with pytest.raises(ConnectionError):
        imap.poll(dovecot, ingest=ingest_then_crash)
    assert flagged(dovecot) == 0
    assert Ticket.objects.count() == 1

    results = imap.poll(dovecot)

    assert [result.outcome for result in results] == ["duplicate"]
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1
    assert flagged(dovecot) == 1


@pytest.mark.django_db(transaction=True)
def test_a_reply_joins_its_ticket_through_imap(dovecot, queue):
    deliver(dovecot, email("Router restarts", "It restarts every 20 minutes.", sender="emma@example.com"))
    imap.poll(dovecot)
    ticket = Ticket.objects.get()
    deliver(
        dovecot,
        email(
            f"Re: [#{ticket.reference}] We have received your request",
            "Still restarting today.",
            sender="emma@example.com",
        ),
    )

    assert [result.outcome for result in imap.poll(dovecot)] == ["threaded"]
    assert ticket.entries.filter(kind="message").count() == 2


def test_scheduled_poll_does_nothing_without_a_mailbox(settings):
    from helpdesk.tasks import poll_mailbox

    settings.IMAP_URL = ""
    assert poll_mailbox() == "IMAP_URL is not set"
