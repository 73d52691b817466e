"""Files on a few demo requests, so the demo shows thumbnails in the timelines and files that open.

A photo of a router's lights and a screenshot (PNG pictures drawn with Pillow) and a bill (a PDF
written out by hand, a page with a line of text) are stored like any customer's file
(`intake.store_attachment`, through the storage API); the pictures' thumbnails are made at once,
so they show before the worker's first minute.
"""

import io

from PIL import Image, ImageDraw

from helpdesk import intake, thumbnails
from helpdesk.intake import IncomingAttachment
from helpdesk.models import Attachment, Ticket, TicketEntry


def router_photo() -> bytes:
    image = Image.new("RGB", (800, 600), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((120, 220, 680, 380), radius=24, fill=(40, 44, 52))
    for number, colour in enumerate([(60, 200, 80), (60, 200, 80), (230, 60, 50), (240, 170, 40)]):
        x = 200 + number * 120
        draw.ellipse((x, 285, x + 30, 315), fill=colour)
    draw.text((130, 400), "Router, 07:42", fill=(60, 60, 60))
    return _png(image)


def speed_test_screenshot() -> bytes:
    image = Image.new("RGB", (640, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 48), fill=(30, 90, 160))
    draw.text((16, 16), "Speed test 21:30", fill=(255, 255, 255))
    draw.text((40, 120), "Download: 3.2 Mbit/s", fill=(20, 20, 20))
    draw.text((40, 170), "Upload: 0.8 Mbit/s", fill=(20, 20, 20))
    draw.rectangle((40, 240, 140, 260), fill=(230, 60, 50))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def bill_pdf(text: str) -> bytes:
    """A one-page PDF with one line of text, its cross-reference table counted byte by byte."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


# The demo requests (by their external id in devtools.demo.helpdesk) and what the customer sent.
DEMO_FILES = {
    "demo-1": lambda: [("szamla-2026-10.pdf", bill_pdf("Szamla 2026/10 - 2 x 8 990 Ft"))],
    "demo-2": lambda: [("faktura-pazdziernik.pdf", bill_pdf("Faktura 10/2026 - 189,00 zl"))],
    "demo-4": lambda: [("router-lights.png", router_photo())],
    "demo-25": lambda: [("sebessegmeres.png", speed_test_screenshot())],
}


def seed_files() -> int:
    """Stores the files of the demo requests that have none yet; returns how many were stored."""
    stored = 0
    for external_id, files in DEMO_FILES.items():
        ticket = Ticket.objects.filter(external_id=external_id).first()
        if ticket is None or Attachment.objects.filter(entry__ticket=ticket).exists():
            continue
        message = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).order_by("created_at", "pk").first()
        for filename, content in files():
            attachment = intake.store_attachment(
                message, IncomingAttachment(filename=filename, content_type="", content=content)
            )
            thumbnails.make_thumbnail(attachment.pk)
            stored += 1
    return stored
