"""The agent's side of a live chat, a panel of the ticket workspace: poll, write, hold, end.

The panel polls every second like the customer's page; a poll is a fixed handful of queries
whatever the length of the conversation.
"""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import chat_live
from helpdesk.forms.chat import AgentChatMessageForm, HoldNoticeForm, PollForm
from helpdesk.models import Channel, Chat
from helpdesk.roles import agent_required
from helpdesk.views.htmx import form_answer, poll_answer
from helpdesk.views.transitions import refusal_as_message


def chat_panel(ticket, agent) -> dict:
    """The workspace's chat panel, for a ticket that came in by live chat (one small query, which
    also says whether this agent's page may follow the chat by push)."""
    if ticket.channel != Channel.CHAT:
        return {}  # only a chat opens a ticket on the chat channel
    followable = Chat.objects.followable_by(agent).filter(pk=OuterRef("pk"))
    chat = (
        Chat.objects.select_related("agent")
        .filter(ticket=ticket)
        .annotate(followable=Exists(followable))
        .first()
    )
    if chat is None:
        return {}
    chat.ticket = ticket  # the panel names its queue's channel: no second read of the ticket
    return {
        "chat": chat,
        # Only the agent of the chat types to the customer (helpdesk.chat_live).
        "chat_typing_key": chat.is_live and chat.agent_id == agent.pk and chat_live.typing_key(chat, "agent"),
        "chat_message_form": AgentChatMessageForm(),
        "hold_form": HoldNoticeForm(),
    }


def chat_of(reference: str) -> Chat:
    return get_object_or_404(
        Chat.objects.select_related("ticket__customer", "ticket__assignee", "agent"),
        ticket__reference=reference,
    )


@agent_required
@require_POST
def poll(request, reference):
    """New lines, whether the customer is typing, and the reminder when a hold runs out.

    The ticket's owner joins the chat on their first poll (take-next, then the page opens).
    """
    chat = chat_of(reference)
    state = PollForm.from_request(request)
    now = timezone.now()
    if chat.is_live:
        if chat.agent_id is None and chat.ticket.assignee_id == request.user.pk:
            chat.join(request.user)
        chat.agent_polled(typing=state.typing and chat.agent_id == request.user.pk, now=now)
        chat.remind_if_hold_over(now)
    customer_is_typing = chat.is_live and chat.customer_is_typing(now)
    hold_is_over = chat.hold_is_over(now)
    is_mine = chat.agent_id == request.user.pk
    return poll_answer(
        request,
        "helpdesk/partials/chat_agent_poll.html",
        chat,
        state,
        for_agent=True,
        status=(chat.agent_id, is_mine, chat.hold_until, hold_is_over, chat.ended_at),
        typing=(customer_is_typing,),
        now=now,
        customer_is_typing=customer_is_typing,
        hold_is_over=hold_is_over,
        is_mine=is_mine,
    )


@agent_required
@require_POST
def join(request, reference):
    """Take over the conversation (it is assigned to this agent)."""
    chat = chat_of(reference)
    with refusal_as_message(request):
        chat.join(request.user)
    return redirect(chat.ticket)


@agent_required
@require_POST
def send(request, reference):
    chat = chat_of(reference)
    return form_answer(
        request,
        AgentChatMessageForm(request.POST),
        lambda data: chat.post_agent_message(by=request.user, body=data["body"]),
        back=chat.ticket,
        chat=chat,
        side="agent",
    )


@agent_required
@require_POST
def hold(request, reference):
    """ "I am checking your bill, back in about 5 minutes": the customer gets a countdown."""
    chat = chat_of(reference)
    return form_answer(
        request,
        HoldNoticeForm(request.POST),
        lambda data: chat.put_on_hold(by=request.user, **data),
        back=chat.ticket,
        chat=chat,
        side="agent",
    )


@agent_required
@require_POST
def end(request, reference):
    chat = chat_of(reference)
    if chat.is_live:
        chat.end(reason=Chat.EndReason.AGENT, by=request.user)
        messages.success(request, _("Chat ended. The conversation stays on the request."))
    else:
        messages.info(request, _("This chat has already ended."))
    return redirect(chat.ticket)
