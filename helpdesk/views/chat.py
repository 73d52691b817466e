"""The customer's side of a live chat: start it, talk, leave. No account: the chat token is the key.

The conversation page polls `chat_poll` every second for the entries after the last one it
shows; each poll is a fixed handful of queries whatever the length of the conversation.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk import chat_live, live, rate_limits, typing_route
from helpdesk.channels import chat as chat_channel
from helpdesk.client_address import client_ip
from helpdesk.forms.chat import ChatMessageForm, PollForm
from helpdesk.models import Chat, Ticket
from helpdesk.queue import line
from helpdesk.views.htmx import form_answer, poll_answer


def chat_by_token(token: str) -> Chat:
    chat = get_object_or_404(
        # The agent's profile too: a line is drawn in the agent's language for their page.
        Chat.objects.select_related(
            "ticket__customer", "ticket__queue__calendar", "agent__staff_profile"
        ).with_token(token)
    )
    chat.token = token  # only its hash is stored; the page's forms go on with the same token
    return chat


def _private(response):
    # The token is the key: never leak it through a Referer header (see views.status._private).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def chat_start(request):
    """Name, optional email, first message: a chat ticket joins the chat queue's line."""
    queue = chat_channel.chat_queue()
    now = timezone.now()
    opening = chat_channel.opening_state(queue, now)
    about = _request_from_status_page(request)
    if request.method == "GET":
        initial = {"name": about.customer.name, "email": about.customer.email} if about else {}
        form = chat_channel.ChatStartForm(initial=initial)
        return _start_page(request, form, opening, about)
    form = chat_channel.ChatStartForm(request.POST)
    if not form.is_valid() or opening is None or not opening.is_open:
        return _start_page(request, form, opening, about)
    retry = rate_limits.refused(*chat_channel.limits(client_ip(request)), now=now)
    if retry:
        problem = _(
            "We have received several chats from you within the last hour, so we cannot start a new "
            "one right now. What you typed is still here: please try again after %(time)s, or send it "
            "as a request."
        ) % {"time": retry.clock}
        return _start_page(request, form, opening, about, problem=problem, status=429)
    chat = chat_channel.start_chat(
        queue=queue, source_ip=client_ip(request), about=about, **form.cleaned_data
    )
    return redirect("helpdesk:chat-room", token=chat.token)


def _request_from_status_page(request) -> Ticket | None:
    """The request whose status page the customer came from (its token proves it is theirs)."""
    token = request.GET.get("about") or request.POST.get("about")
    if not token:
        return None
    ticket = Ticket.objects.select_related("customer").with_status_token(token).first()
    if ticket is not None:
        ticket.status_token = token
    return ticket


def _start_page(request, form, opening, about, *, problem="", status=200):
    context = {"form": form, "opening": opening, "about": about, "problem": problem}
    return _private(render(request, "helpdesk/chat_start.html", context, status=status))


@never_cache
@require_GET
def chat_room(request, token):
    chat = chat_by_token(token)
    context = {
        "chat": chat,
        "ticket": chat.ticket,
        "message_form": ChatMessageForm(),
        "status_url": reverse("helpdesk:chat-request", args=[token]),
        "live_stream": chat.is_live and live.live_stream(reverse("helpdesk:live-chat", args=[token])),
        "chat_typing_key": chat.is_live and chat_live.typing_key(chat, "customer"),
    }
    return _private(render(request, "helpdesk/chat_room.html", context))


@never_cache
@require_POST
def chat_poll(request, token):
    """What is new since the entry the page shows last: messages, the agent, the hold notice."""
    chat = chat_by_token(token)
    poll = PollForm.from_request(request)
    now = timezone.now()
    if chat.is_live:
        chat.customer_polled(typing=poll.typing, now=now)
    waiting = chat.is_live and chat.agent_id is None
    position = line.position(chat.ticket) if waiting else None
    # Still waiting when the chat closes: say plainly what happens to their message.
    closed_while_waiting = _closed(chat, now) if waiting else None
    agent_is_typing = chat.is_live and chat.agent_is_typing(now)
    answer = poll_answer(
        request,
        "helpdesk/partials/chat_poll.html",
        chat,
        poll,
        for_agent=False,
        status=(
            chat.agent_id,
            chat.hold_until,
            chat.hold_is_over(now),
            chat.ended_at,
            position,
            closed_while_waiting and closed_while_waiting.next_opening,
        ),
        typing=(agent_is_typing,),
        now=now,
        position=position,
        closed_while_waiting=closed_while_waiting,
        agent_name=_first_name(chat.agent),
        agent_is_typing=agent_is_typing,
        status_url=reverse("helpdesk:chat-request", args=[token]),
    )
    return _private(answer)


@csrf_exempt  # the signed key is the credential, never a cookie (helpdesk.typing_route)
@never_cache
@require_POST
def chat_typing(request):
    """A typing heartbeat from a page with push, either side: by the page's signed typing key,
    so it reads no row (nor the session). The other side's pages are told; nothing is drawn.
    Served by ASGI, the request is answered before Django (helpdesk.typing_route)."""
    if not typing_route.heartbeat(request.POST.get("key", "")):
        return HttpResponseBadRequest("key")
    return HttpResponse(status=204)


def _closed(chat, now):
    """The chat queue's calendar state when it is closed now, else None."""
    state = chat.ticket.queue.calendar.state_at(now)
    return None if state.is_open else state


def _first_name(user) -> str:
    if user is None:
        return ""
    return user.first_name or user.get_username()


@never_cache
@require_POST
def chat_send(request, token):
    chat = chat_by_token(token)
    return form_answer(
        request,
        ChatMessageForm(request.POST),
        lambda data: chat.post_customer_message(data["body"]),
        back=reverse("helpdesk:chat-room", args=[chat.token]),
        chat=chat,
        side="customer",
    )


@never_cache
@require_POST
def chat_request(request, token):
    """From the chat to its request's status page, through a status link drawn now."""
    chat = chat_by_token(token)
    return _private(redirect("helpdesk:status", token=chat.ticket.draw_status_link()))


@never_cache
@require_POST
def chat_end(request, token):
    """The customer leaves: the conversation stays on their request; the transcript is emailed."""
    chat = chat_by_token(token)
    if chat.is_live:
        chat.end(reason=Chat.EndReason.CUSTOMER)
        messages.success(request, _("The chat has ended. Thank you for talking to us."))
    return redirect("helpdesk:chat-room", token=chat.token)
