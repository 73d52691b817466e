"""A customer's personal data, for managers: downloading its export, asking to erase it, and a second
manager confirming."""

import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from helpdesk.models import Customer, ErasureRequest
from helpdesk.personal_data import export
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.roles import manager_required
from helpdesk.views.transitions import refusal_as_message


@manager_required
@require_GET
def export_download(request, pk):
    """The customer's data export, as one zip."""
    customer = get_object_or_404(Customer, pk=pk)
    archive = export.export_archive(customer)
    record_access(request.user, Kind.EXPORTED, customer=customer, detail=archive.filename)
    return FileResponse(io.BytesIO(archive.content), as_attachment=True, filename=archive.filename)


@manager_required
@require_POST
def erasure_ask(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    with refusal_as_message(request):
        ErasureRequest.ask(customer, by=request.user)
        messages.info(request, gettext("Erasure asked for: another manager has to confirm it."))
    return redirect("helpdesk:customer-detail", pk=customer.pk)


@manager_required
@require_POST
def erasure_confirm(request, pk):
    erasure = get_object_or_404(ErasureRequest.objects.select_related("customer"), pk=pk)
    with refusal_as_message(request):
        erased = erasure.confirm(by=request.user)
        count = erased.get("requests", 0)
        text = ngettext(
            "Personal data erased, from %(count)d request.",
            "Personal data erased, from %(count)d requests.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect("helpdesk:customer-detail", pk=erasure.customer_id)


@manager_required
@require_POST
def erasure_cancel(request, pk):
    erasure = get_object_or_404(ErasureRequest, pk=pk)
    with refusal_as_message(request):
        erasure.cancel(by=request.user)
        messages.info(request, gettext("Erasure cancelled."))
    return redirect("helpdesk:customer-detail", pk=erasure.customer_id)
