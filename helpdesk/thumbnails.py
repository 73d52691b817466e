"""Thumbnails of the pictures customers and agents send, for the timelines.

Made by the worker after the file is stored (the request that brought the file never waits for
Pillow); until then a timeline shows the file's name. Read and written through the storage API.
A picture whose task never ran (the worker or the broker was down) gets its thumbnail from a
scan every few minutes (`make_missing_thumbnails`).
"""

import io
import logging
from datetime import datetime, timedelta
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from helpdesk.attachments import PICTURE_TYPES
from helpdesk.models import Attachment

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (480, 480)
PILLOW_FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
# The task queued when the file was stored normally runs within seconds: the scan leaves it
# this long before making the thumbnail itself.
MISSING_AFTER = timedelta(minutes=5)
SCAN_BATCH = 50


def enqueue_on_commit(attachment: Attachment) -> None:
    if attachment.content_type in PICTURE_TYPES:
        transaction.on_commit(lambda: enqueue(attachment.pk), robust=True)


def enqueue(attachment_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("helpdesk.tasks.make_thumbnail", attachment_id, task_name=f"thumbnail-{attachment_id}")
    except Exception:  # the broker refused: the timeline keeps showing the file's name
        logger.exception("thumbnail of attachment %s not enqueued", attachment_id)


def thumbnail_bytes(content) -> tuple[bytes, str]:
    """A PNG (pictures with transparency) or a JPEG at most THUMBNAIL_SIZE, turned upright."""
    with Image.open(content, formats=PILLOW_FORMATS) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        picture = ImageOps.exif_transpose(image)
        has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
        output = io.BytesIO()
        picture.save(output, format="PNG" if has_alpha else "JPEG", quality=85)
    return output.getvalue(), "png" if has_alpha else "jpg"


def make_thumbnail(attachment_id: int) -> str:
    """Idempotent: a picture that has its thumbnail, or a file that is no picture, is left alone;
    of two workers at once, the second one's copy is removed."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.thumbnail or attachment.content_type not in PICTURE_TYPES:
        return "nothing to do"
    try:
        with attachment.file.open("rb") as handle:
            content, extension = thumbnail_bytes(handle)
    except (OSError, ValueError, Image.DecompressionBombError):
        # A file missing from storage, or a picture Pillow cannot read: the link stays.
        logger.warning("no thumbnail for attachment %s", attachment_id, exc_info=True)
        Attachment.objects.filter(pk=attachment_id, thumbnail="").update(thumbnail_unreadable=True)
        return "not readable"
    storage = attachment.thumbnail.storage
    name = storage.save(
        attachment.thumbnail.field.generate_filename(
            attachment, f"{PurePath(attachment.filename).stem}.{extension}"
        ),
        ContentFile(content),
    )
    if not Attachment.objects.filter(pk=attachment_id, thumbnail="").update(thumbnail=name):
        storage.delete(name)
        return "made by another worker"
    return name


def make_missing_thumbnails(now: datetime, *, batch: int = SCAN_BATCH) -> int:
    """The thumbnails of pictures stored more than MISSING_AFTER ago whose task never ran; a
    backlog drains SCAN_BATCH at a time. Returns how many were made."""
    missing = (
        Attachment.objects.filter(
            thumbnail="",
            thumbnail_unreadable=False,
            removed_at__isnull=True,
            content_type__in=sorted(PICTURE_TYPES),
            entry__created_at__lt=now - MISSING_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    made = [make_thumbnail(attachment_id) for attachment_id in list(missing)]
    return sum(result not in ("nothing to do", "not readable") for result in made)
