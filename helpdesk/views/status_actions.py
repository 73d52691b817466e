"""What a customer does on their status page: write to us, close the request, renew the link, ask for
a copy of their data."""

import io

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk import status_access
from helpdesk.forms.status import CustomerReplyForm
from helpdesk.models import Customer
from helpdesk.personal_data import export, links
from helpdesk.views.status import private, render_page, ticket_by_token
from helpdesk.views.transitions import refusal_as_message


@never_cache
@require_POST
def reply(request, token):
    ticket = ticket_by_token(token)
    form = CustomerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        # What they typed stays; files cannot be kept by a browser, so the page says so.
        return render_page(request, ticket, reply_form=form, files_dropped=bool(request.FILES))
    with refusal_as_message(request):
        status_access.reply_from_status_page(
            ticket, body=form.cleaned_data["body"], attachments=form.incoming_attachments()
        )
        messages.success(request, _("Thank you, your message is with us. It is on your request below."))
    return redirect("helpdesk:status", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def close(request, token):
    """GET asks "are you sure?"; POST closes (resolves) the request in the customer's name."""
    ticket = ticket_by_token(token)
    if request.method == "GET":
        return private(render(request, "helpdesk/status_close.html", {"ticket": ticket}))
    with refusal_as_message(request):
        ticket.resolve_by_customer()
        messages.success(
            request,
            _(
                "Your request is closed. Thank you for letting us know. "
                "If you need us again, just write below."
            ),
        )
    return redirect("helpdesk:status", token=token)


@never_cache
@require_POST
def new_link(request, token):
    ticket = ticket_by_token(token)
    with refusal_as_message(request):
        ticket.renew_status_link()
        # Nothing about the request or its address: whoever holds the old link learns no more.
        return redirect("helpdesk:status-new-link-sent")
    return redirect("helpdesk:status", token=token)


@never_cache
@require_POST
def follow_merge(request, token):
    """To the request this one was joined with, through a link drawn for it now."""
    ticket = ticket_by_token(token)
    target = ticket.merged_into or ticket
    return private(redirect("helpdesk:status", token=target.status_link_token()))


@never_cache
@require_GET
def new_link_sent(request):
    return private(render(request, "helpdesk/status_new_link_sent.html"))


@never_cache
@require_POST
def personal_data(request, token):
    """Email the customer a link to a copy of everything we hold about them, at the address on
    record (never one typed here), a few times a day at most."""
    ticket = ticket_by_token(token)
    customer = ticket.customer
    retry = links.take(customer, now=timezone.now()) if customer.email else None
    if not customer.email:
        messages.error(request, _("We have no email address for you, so we cannot send you a link."))
    elif retry:
        messages.error(
            request,
            _("We have already sent you several links today. Please try again after %(time)s.")
            % {"time": retry.clock},
        )
    else:
        links.send_link(customer)
        days = settings.PERSONAL_DATA_LINK_DAYS
        text = ngettext(
            "We have emailed you a link to download a copy of your data, to the address we have on "
            "record. The link works for %(days)d day.",
            "We have emailed you a link to download a copy of your data, to the address we have on "
            "record. The link works for %(days)d days.",
            days,
        )
        messages.success(request, text % {"days": days})
    return redirect("helpdesk:status", token=token)


@never_cache
@require_GET
def personal_data_download(request, token):
    """The emailed link: the archive while the link is valid, else a page that says why."""
    try:
        customer = links.customer_for(token)
    except links.LinkExpired:
        return private(render(request, "helpdesk/personal_data_link.html", {"expired": True}, status=410))
    except (links.LinkInvalid, Customer.DoesNotExist):
        return private(render(request, "helpdesk/personal_data_link.html", {"expired": False}, status=404))
    archive = export.export_archive(customer)
    return private(FileResponse(io.BytesIO(archive.content), as_attachment=True, filename=archive.filename))
