"""Opening a ticket's files: agents from the workspace, the customer from their status page.

A file is read through its storage (Django's storage API, never a path on disk), so the files may
live on shared or object storage. Pictures and PDFs recognised from the content may open in the
browser; everything else is a download the browser never renders.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from helpdesk.attachments import inline_type
from helpdesk.models import Attachment
from helpdesk.roles import agent_required
from helpdesk.views.status import private, public_timeline, ticket_by_token

SNIFF_BYTES = 8192


def file_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    field = attachment.thumbnail if thumbnail else attachment.file
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except OSError as missing:  # the row outlived its file (a restored database, a cleaned bucket)
        raise Http404 from missing
    shown_as = inline_type(handle.read(SNIFF_BYTES))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=shown_as is None,
        filename=attachment.filename,
        content_type=shown_as or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A picture or a download runs nothing, even opened on its own; Chromium's PDF viewer does
    # not open in a sandboxed document, so a PDF keeps only what stops it being framed.
    sandbox = "" if shown_as == "application/pdf" else "; sandbox"
    response["Content-Security-Policy"] = f"default-src 'none'; frame-ancestors 'none'{sandbox}"
    return response


@agent_required
@require_GET
def agent_file(request, pk, thumbnail=False):
    """Agents work the tickets of every queue, so any signed-in agent opens any ticket's file."""
    attachment = get_object_or_404(Attachment, pk=pk)
    response = file_response(attachment, thumbnail=thumbnail)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def status_file(request, token, pk, thumbnail=False):
    """The status link is the key: a file of this request's public timeline, and no other."""
    ticket = ticket_by_token(token)
    attachment = get_object_or_404(Attachment, pk=pk, entry__in=public_timeline(ticket).values("pk"))
    return private(file_response(attachment, thumbnail=thumbnail))
