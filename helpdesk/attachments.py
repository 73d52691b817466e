"""What we accept as an attachment: size and type limits, shared by every channel."""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Documents and pictures customers send us (a bill, a screenshot, a photo of a broken device).
# Executables and archives that could hide them are refused.
ALLOWED_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822",
}


def safe_filename(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip().strip(".")
    return name[:200] or "attachment"


def content_type_for(filename: str, declared: str) -> str:
    declared = (declared or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    guessed, _encoding = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def check_attachment(filename: str, content_type: str, size: int) -> None:
    """Raise ValidationError with a message a customer understands when a file is refused."""
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": filename, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    if content_type_for(filename, content_type) not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(
            _("%(name)s is a kind of file we cannot accept. Please send a PDF, a picture or a document.")
            % {"name": filename},
            code="type_not_allowed",
        )
