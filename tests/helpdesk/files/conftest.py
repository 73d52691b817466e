"""Files of the attachment tests: real pictures and documents, stored in a folder of the test's own."""

import io

import pytest
from PIL import Image

from helpdesk.intake import IncomingAttachment

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TEXT = b"Meter reading 2026-11-02: 12345 kWh\n"


def picture(size=(1200, 800), kind="PNG", colour=(200, 40, 40)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=kind)
    return output.getvalue()


def incoming(filename: str, content: bytes, declared: str = "application/octet-stream") -> IncomingAttachment:
    return IncomingAttachment(filename=filename, content_type=declared, content=content)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
