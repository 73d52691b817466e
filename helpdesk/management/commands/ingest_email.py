"""Import email from files: `ingest_email inbox.mbox message.eml Maildir/ -`.

Prints one line per message, naming the file (and the message's index inside an mbox) and what
became of it. One broken message never stops the rest; the exit code is non-zero only for bad
arguments.
"""

import mailbox
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helpdesk.mail.inbound import ingest_message

MBOX_SUFFIXES = {".mbox", ".mbx", ".mbs"}


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def looks_like_mbox(path: Path) -> bool:
    if path.suffix.lower() in MBOX_SUFFIXES:
        return True
    if path.suffix.lower() == ".eml":
        return False  # a single message, perhaps with an mbox "From " line in front
    with path.open("rb") as file:
        return file.read(5) == b"From "


def messages_in(argument: str) -> Iterator[tuple[str, bytes]]:
    """(label, raw bytes) for every message a command-line argument names."""
    if argument == "-":
        yield "-", sys.stdin.buffer.read()
        return
    path = Path(argument)
    if is_maildir(path):
        for folder in ("new", "cur"):
            for file in sorted((path / folder).iterdir()):
                if file.is_file() and not file.name.startswith("."):
                    yield str(file), file.read_bytes()
    elif path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.is_file() and (file.suffix.lower() == ".eml" or file.suffix.lower() in MBOX_SUFFIXES):
                yield from messages_in(str(file))
    elif looks_like_mbox(path):
        box = mailbox.mbox(path, create=False)
        try:
            for index, key in enumerate(box.keys()):
                # Lines that began with "From " were escaped as ">From " when the mbox was written.
                yield f"{path}[{index}]", re.sub(rb"(?m)^>(>*From )", rb"\1", box.get_bytes(key))
        finally:
            box.close()
    else:
        yield str(path), path.read_bytes()


class Command(BaseCommand):
    help = "Import emails from .eml files, mbox files, maildir folders or standard input (-)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, **options):
        missing = [path for path in paths if path != "-" and not Path(path).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        for argument in paths:
            try:
                for label, raw in messages_in(argument):
                    result = ingest_message(raw, source=label)
                    self.stdout.write(f"{label}: {result.describe()}")
            except OSError as error:
                self.stderr.write(f"{argument}: cannot read ({error})")
