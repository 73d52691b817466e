"""The channel directory for customers, and the managers' pages that configure it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.directory import DAYS_AHEAD, channel_directory, phone_menu
from helpdesk.forms.faq import ChannelListingForm, PhoneMenuOptionForm
from helpdesk.models import ChannelListing, PhoneMenuOption
from helpdesk.roles import manager_required


@require_GET
def contact(request):
    context = {"cards": channel_directory(), "menu": phone_menu(), "days_ahead": DAYS_AHEAD}
    return render(request, "helpdesk/directory/contact.html", context)


@manager_required
@require_GET
def channel_list(request):
    context = {
        "listings": ChannelListing.objects.select_related("calendar", "queue"),
        "menu": phone_menu(),
        "option_form": PhoneMenuOptionForm(),
    }
    return render(request, "helpdesk/directory/manage.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk):
    listing = get_object_or_404(ChannelListing, pk=pk)
    form = ChannelListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(channel)s updated.") % {"channel": listing.get_channel_display()})
        return redirect("helpdesk:directory-manage")
    return render(request, "helpdesk/directory/channel_form.html", {"form": form, "listing": listing})


@manager_required
@require_http_methods(["GET", "POST"])
def phone_option_edit(request, pk=None):
    option = get_object_or_404(PhoneMenuOption, pk=pk) if pk else None
    form = PhoneMenuOptionForm(
        request.POST or None, instance=option, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Phone menu updated."))
        return redirect("helpdesk:directory-manage")
    return render(request, "helpdesk/directory/phone_option_form.html", {"form": form, "option": option})


@manager_required
@require_POST
def phone_option_delete(request, pk):
    option = get_object_or_404(PhoneMenuOption, pk=pk)
    option.delete()
    messages.success(request, _("The option and the choices under it are removed from the phone menu."))
    return redirect("helpdesk:directory-manage")
