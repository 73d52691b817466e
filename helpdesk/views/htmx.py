"""What the live chat's htmx requests get back, on the customer's page and the agent's panel alike."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from helpdesk import chat_live
from helpdesk.forms.chat import PollForm
from helpdesk.models import Chat, InvalidTransition

# htmx stops polling when a poll answers with this status (the chat has ended).
STOP_POLLING = 286


def poll_answer(
    request, template: str, chat: Chat, poll: PollForm, *, for_agent: bool, status, typing, **context
):
    """The entries after the page's last one; the status and typing parts only when what they
    show (`status`, `typing`: the values they are drawn from) changed since the page's last poll."""
    entries = list(chat.entries_after(poll.after, for_agent=for_agent))
    status_key, typing_key = PollForm.key(*status), PollForm.key(*typing)
    context |= {
        "chat": chat,
        "entries": entries,
        "cursor": entries[-1].pk if entries else None,
        "status_key": status_key,
        "typing_key": typing_key,
        "status_changed": status_key != poll.status_key,
        "typing_changed": typing_key != poll.typing_key,
    }
    response = render(request, template, context)
    response.status_code = 200 if chat.is_live else STOP_POLLING
    return response


def form_answer(request, form, change, *, back, chat=None, side=""):
    """Makes the change (`change(form.cleaned_data)`) of a valid form; a refusal becomes the
    form's error. htmx: an answer that clears the box and shows the line just written (`side`'s
    page of `chat`, when it shows every line before it; else it polls at once), or the errors,
    text kept. Without JavaScript: the errors as messages, and back to the conversation (`back`)."""
    entry = None
    if form.is_valid():
        try:
            entry = change(form.cleaned_data)
        except InvalidTransition as error:
            form.add_error(None, str(error))
    if not request.htmx:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    if form.errors:
        return render(request, "helpdesk/partials/chat_form_errors.html", {"form": form})
    shown_last = PollForm.from_request(request).after  # the last line the page shows
    follows_on = entry is not None and chat is not None
    if follows_on and shown_last == chat_live.previous_shown(chat, entry, side=side):
        line = chat_live.draw_line(chat, entry, side=side)
        response = render(request, "helpdesk/partials/chat_line_sent.html", {"line": line, "entry": entry})
        response["HX-Trigger"] = "chat:sent"
    else:  # the page misses a line before it (or this was no line): it asks for what is new
        response = HttpResponse("")
        response["HX-Trigger"] = "chat:sent, chat:catch-up"
    return response
