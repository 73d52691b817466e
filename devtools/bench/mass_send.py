"""The mass send of `make bench`: one update to 10,000 subscribers, the worker killed half-way.

The same run as tests/crisis/test_mass_send_worker.py, at full size and with the production
batch (INCIDENT_UPDATE_BATCH): a real SMTP server on a loopback port counts what arrives, the
worker's part (`crisis.sending.send`) runs in a process of its own and is killed with SIGKILL
while a message is on the wire, then two processes take over. They are started directly rather
than through the queue: the benchmark database's queue and schedules hold the other figures'
work (updates published to the 10,000 subscribers of devtools.bench.crisis), which must not run meanwhile.
"""

from __future__ import annotations

import math
import os
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from crisis import banner, sending
from crisis.models import Incident, IncidentUpdate, Subscription, UpdateRecipient
from helpdesk.mail.delivery import SENDING_TIMEOUT
from helpdesk.models import Notification
from helpdesk.references import hash_token

SUBSCRIBERS = 10_000
TITLE = "Bench: mass send"
TEXTS = {
    "en": "Card payments work again. Thank you for your patience.",
    "hu": "A kártyás fizetés újra működik. Köszönjük a türelmét.",
    "pl": "Płatności kartą znów działają. Dziękujemy za cierpliwość.",
}
WORKER = "import django; django.setup(); from crisis import sending; sending.send({}, seconds=float('inf'))"


class _SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        try:
            self.answer("220 bench ready")
            recipients = []
            while line := self.rfile.readline():
                command = line[:4].upper()
                if command == b"RCPT":
                    recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                elif command == b"MAIL":
                    recipients = []
                elif command == b"QUIT":
                    return self.answer("221 bye")
                elif command == b"DATA":
                    self.answer("354 end with <CRLF>.<CRLF>")
                    while self.rfile.readline() not in (b".\r\n", b""):
                        pass
                    accepted = self.server.accept(recipients)
                    self.answer("250 accepted" if accepted else "451 aborted")
                    continue
                self.answer("250 ok")
        except OSError:  # the worker was killed with the connection open
            return

    def answer(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    """Counts the recipients of every message it accepts; `before_accepting(n)` may refuse the n-th."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.lock = threading.Lock()
        self.received: Counter = Counter()
        self.data_commands = 0
        self.before_accepting = None

    def accept(self, recipients: list[str]) -> bool:
        with self.lock:
            self.data_commands += 1
            if self.before_accepting and self.before_accepting(self.data_commands) is False:
                return False
            self.received.update(recipients)
            return True

    def email_settings(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.server_address[1]),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
        }


@dataclass
class MassSend:
    subscribers: int
    batch: int
    killed_at_message: int
    seconds: float
    received: Counter

    @property
    def batches(self) -> int:
        return math.ceil(self.subscribers / self.batch)

    @property
    def per_second(self) -> float:
        return self.subscribers / self.seconds

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in self.received.values())

    @property
    def missing(self) -> int:
        return self.subscribers - len(self.received)

    def lines(self) -> list[str]:
        return [
            f"Mass send of one crisis update to {self.subscribers:,} subscribers "
            f"({self.batches} batches of {self.batch}), the worker killed at message "
            f"{self.killed_at_message:,} and two started again:",
            f"  {self.seconds:.1f} s in all, {self.per_second:.0f} messages per second; "
            f"duplicates {self.duplicates}, missing {self.missing}",
        ]


def start_worker(update_id: int, sink: SmtpSink) -> subprocess.Popen:
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish())
    worker = subprocess.Popen(  # noqa: S603 (this interpreter, a fixed program)
        [sys.executable, "-c", WORKER.format(int(update_id))],
        cwd=settings.BASE_DIR,
        env={**os.environ, **sink.email_settings()},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so SIGKILL takes all of it
    )
    worker.log = log
    return worker


def finish(worker: subprocess.Popen, *, killed: threading.Event | None = None) -> None:
    """Wait for a worker to end; one that fails (other than by our SIGKILL) stops the benchmark."""
    try:
        code = worker.wait(timeout=1800)
        if code != 0 and not (killed and killed.is_set()):
            worker.log.seek(0)
            raise RuntimeError(f"a sending process failed: {worker.log.read().decode()[-2000:]}")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.log.close()


def add_confirmed_subscribers(incident: Incident, count: int, *, name: str) -> None:
    """`count` subscribers who confirmed at once, in the three languages in turn."""
    Subscription.objects.bulk_create(
        Subscription(
            incident=incident,
            email=f"{name}-{number}@example.com",
            language=("en", "hu", "pl")[number % 3],
            token_hash=hash_token(f"{name}-{incident.pk}-{number}"),
            confirmed_at=incident.declared_at,
        )
        for number in range(count)
    )


def prepared_update(subscribers: int, *, author, reviewer) -> IncidentUpdate:
    """An incident of its own with `subscribers` confirmed subscribers, and a published update."""
    Incident.objects.filter(title=TITLE).delete()  # left by an interrupted run
    incident = Incident.declare(by=author, statement=TEXTS, title=TITLE, title_hu=TITLE, title_pl=TITLE)
    add_confirmed_subscribers(incident, subscribers, name="mass-send")
    update = IncidentUpdate.draft(incident, by=author, texts=TEXTS)
    update.publish(by=reviewer)
    return update


def run(*, author, reviewer, subscribers: int = SUBSCRIBERS) -> MassSend:
    """Send one update to `subscribers` addresses with a worker restart half-way; then remove it all.

    `author` and `reviewer` are two managers (an update is published by a second person)."""
    update = prepared_update(subscribers, author=author, reviewer=reviewer)
    kill_on = subscribers // 2
    killed = threading.Event()
    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        worker = start_worker(update.pk, sink)

        def kill_the_worker_half_way(number):
            if number == kill_on:
                os.killpg(worker.pid, signal.SIGKILL)
                killed.set()
            return not killed.is_set()

        sink.before_accepting = kill_the_worker_half_way
        finish(worker, killed=killed)
        if not killed.is_set():
            raise RuntimeError("the sending ended before it was half-way")
        # The message on the wire stays claimed until its claim expires (time moved, not waited).
        Notification.objects.filter(status=Notification.Status.SENDING).update(
            claimed_at=timezone.now() - SENDING_TIMEOUT - timedelta(minutes=1)
        )
        sink.before_accepting = None
        for restarted in [start_worker(update.pk, sink), start_worker(update.pk, sink)]:
            finish(restarted)
        seconds = time.monotonic() - started
        progress = sending.progress(update)
        if progress["sent"] != subscribers:
            raise RuntimeError(f"the sending stopped with {progress}")
        return MassSend(subscribers, settings.INCIDENT_UPDATE_BATCH, kill_on, seconds, sink.received)
    finally:
        sink.shutdown()
        sink.server_close()
        removed(update)


def removed(update: IncidentUpdate) -> None:
    """The benchmark's incident and its messages, gone: the pages measured next show no trace."""
    messages = list(UpdateRecipient.objects.filter(update=update).values_list("notification", flat=True))
    Incident.objects.filter(pk=update.incident_id).delete()
    Notification.objects.filter(pk__in=messages).delete()
    banner.forget()


def report(*, author, reviewer, subscribers: int = SUBSCRIBERS) -> MassSend:
    figures = run(author=author, reviewer=reviewer, subscribers=subscribers)
    for line in figures.lines():
        print(line, flush=True)
    return figures


_reported: list[MassSend] = []


def report_once(*, author, reviewer) -> None:
    """`make bench` measures at several ticket counts; the mass send does not depend on them."""
    if not _reported:
        _reported.append(report(author=author, reviewer=reviewer))
