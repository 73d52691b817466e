from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from helpdesk.directory import channel_directory
from helpdesk.forms.faq import FaqSearchForm
from helpdesk.models import FaqEntry

MOST_ASKED = 6


@require_GET
def home(request):
    context = {
        "search_form": FaqSearchForm(),
        "most_asked": FaqEntry.objects.published().most_viewed()[:MOST_ASKED],
        "cards": channel_directory(),
    }
    return render(request, "helpdesk/home.html", context)


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico before reading a page's <link rel="icon">; the file itself is
    # a static file (hashed in production), so this answers with where it is.
    return redirect(static("helpdesk/favicon.ico"))
