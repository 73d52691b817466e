"""What we accept as an attachment: size and type limits, shared by every channel.

A file's kind is recognised from its content (its magic number, read by `filetype`), never from
the type the sender declares or the name they gave it: the stored type and extension are those
of the recognised kind, so `x.html` sent as text/plain or `setup.exe` sent as application/pdf
never lands on disk as what it claims to be.
"""

import re
from pathlib import PurePath
from typing import NamedTuple

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class Kind(NamedTuple):
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a file gets when its own is not one of these


# Documents and pictures customers send us (a bill, a screenshot, a photo of a broken device).
# Executables, web pages and archives that could hide them are refused.
KINDS = {
    kind.content_type: kind
    for kind in [
        Kind("application/pdf", ("pdf",)),
        Kind("image/jpeg", ("jpg", "jpeg")),
        Kind("image/png", ("png",)),
        Kind("image/gif", ("gif",)),
        Kind("image/webp", ("webp",)),
        Kind("image/heic", ("heic",)),
        Kind("application/msword", ("doc",)),
        Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
        Kind("application/vnd.ms-excel", ("xls",)),
        Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        Kind("application/vnd.oasis.opendocument.text", ("odt",)),
        Kind("application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        # No magic number: recognised by reading them (below).
        Kind("text/plain", ("txt",)),
        Kind("message/rfc822", ("eml",)),
    ]
}
PLAIN_TEXT, FORWARDED_EMAIL = KINDS["text/plain"], KINDS["message/rfc822"]

# Markup a browser (or an old one sniffing the first bytes) could run as a page.
MARKUP = re.compile(rb"<(?:[!?/]?[a-z]|!--)", re.IGNORECASE)
MARKUP_WINDOW = 1024
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
HEADER_LINE = re.compile(rb"^[!-9;-~]+:")


class Accepted(NamedTuple):
    filename: str
    content_type: str


def safe_filename(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip().strip(".")
    return name[:200] or "attachment"


def recognise(content: bytes, declared: str = "") -> Kind | None:
    """The allowed kind this content is, or None (an unknown or refused kind)."""
    guessed = filetype.guess(content[:8192]) if content else None
    if guessed is not None:
        return KINDS.get(guessed.mime)
    declared = (declared or "").split(";")[0].strip().lower()
    if declared == "message/rfc822" and HEADER_LINE.match(content) and b"\0" not in content:
        # A forwarded email: header lines, then parts in any charset (HTML ones too); kept as a
        # message, which a browser downloads and never shows as a page.
        return FORWARDED_EMAIL
    if _is_plain_text(content):
        return PLAIN_TEXT
    return None


def _decoded_text(content: bytes) -> str | None:
    """UTF-8, else Central European Windows (what Hungarian and Polish Excel writes)."""
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if CONTROL_CHARACTERS.search(text) else text
    return None


def _is_plain_text(content: bytes) -> bool:
    """Readable text with no markup near its start (.txt, .csv): stored and sent as text/plain."""
    return _decoded_text(content) is not None and not MARKUP.search(content[:MARKUP_WINDOW])


def stored_filename(filename: str, kind: Kind) -> str:
    """The sender's name, with the extension of the kind we recognised."""
    path = PurePath(safe_filename(filename))
    if path.suffix.lower().lstrip(".") in kind.extensions:
        return path.name
    stem = path.stem if path.suffix else path.name
    return f"{stem[:190]}.{kind.extensions[0]}"


def check_size(filename: str, size: int) -> None:
    """Checked before a file is read: an upload too large is refused without loading it."""
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": filename, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )


def check_attachment(filename: str, declared: str, content: bytes) -> Accepted:
    """The name and type to store the file under; raises ValidationError with a message a
    customer understands when a file is refused."""
    check_size(filename, len(content))
    kind = recognise(content, declared)
    if kind is None:
        raise ValidationError(
            _("%(name)s is a kind of file we cannot accept. Please send a PDF, a picture or a document.")
            % {"name": filename},
            code="type_not_allowed",
        )
    return Accepted(stored_filename(filename, kind), kind.content_type)


# What a browser may show in the page rather than save: pictures and PDFs, recognised again from
# the stored content when the file is opened. Anything else (text, documents, a forwarded email)
# is downloaded; HTML and SVG are never stored, and would never be shown if they were.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
PICTURE_TYPES = INLINE_TYPES - {"application/pdf"}


def inline_type(head: bytes) -> str | None:
    """The type to show the file as in the browser, from its first bytes; None: download it."""
    guessed = filetype.guess(head) if head else None
    return guessed.mime if guessed is not None and guessed.mime in INLINE_TYPES else None
