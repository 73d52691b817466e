"""What a live chat tells its pages by push (helpdesk.live) so that they need not ask again: a
new line, drawn for the other side's page, and who is typing (helpdesk.models.chat).

A line's event carries the line's HTML and the entry the receiving page must show last for the
line to follow on (`previous`): a page showing exactly that appends it; a page that missed
something (an event lost while it reconnected) asks with its poll, which brings everything after
the last entry it shows. The line is drawn for the other side only: the sender's page gets its
line in the answer to its send, and another page of the sender's side asks.

A typing heartbeat reads no row: the page's typing key, signed by the server when it drew the
page, names the chat, the side and the name the other side shows ("Anna is typing…").
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import translation

from helpdesk.models.staff import staff_language

OTHER_SIDE = {"customer": "agent", "agent": "customer"}
TYPING_KEY_SALT = "helpdesk.chat-typing"
# A page left open longer draws a new key with its next load; until then it types by its poll.
TYPING_KEY_MAX_AGE = 24 * 3600
# The entries looked at for the one shown before a line, in one query (an internal line of the
# agent's side between two public ones is rare; past these, a second query finds it).
PREVIOUS_LOOKED_AT = 10


def draw_line(chat, entry, *, side: str) -> str:
    """The entry as `side`'s page shows it (helpdesk/partials/chat_entry.html)."""
    if side == "customer":
        context = {"entry": entry, "mine": "message"}
    else:
        context = {"entry": entry, "mine": "reply", "customer_name": chat.name_of("customer")}
    return render_to_string("helpdesk/partials/chat_entry.html", context)


def previous_shown(chat, entry, *, side: str) -> int:
    """The entry `side`'s page shows just before this one (0: none). The entries before it are
    read once for both sides (the line's event, and the answer to its sender)."""
    before = getattr(entry, "_shown_before", None)
    if before is None:
        shown = chat.entries_after(0, for_agent=True).filter(pk__lt=entry.pk).order_by("-pk")
        before = list(shown.values_list("pk", "is_public")[:PREVIOUS_LOOKED_AT])
        if before and not any(is_public for _, is_public in before):  # a run of internal lines
            public = shown.filter(is_public=True).values_list("pk", "is_public").first()
            before.extend([public] if public else [])
        entry._shown_before = before
    for pk, is_public in before:
        if side == "agent" or is_public:
            return pk
    return 0


def line_event(chat, entry, *, side: str) -> dict:
    """The event of a line written by `side`: drawn for the other side, in its language."""
    other = OTHER_SIDE[side]
    if other == "customer":
        language = chat.ticket.language
    else:
        language = staff_language(chat.agent) if chat.agent else settings.LANGUAGE_CODE
    with translation.override(language):
        html = draw_line(chat, entry, side=other)
    previous = previous_shown(chat, entry, side=other)
    return {"side": side, "entry": entry.pk, other: {"html": html, "previous": previous}}


def typing_key(chat, side: str) -> str:
    return signing.dumps([chat.pk, side, chat.name_of(side)], salt=TYPING_KEY_SALT)


def read_typing_key(key: str) -> tuple[int, str, str] | None:
    """(chat id, side, name) of a key this site signed lately, else None."""
    try:
        chat_id, side, name = signing.loads(key, salt=TYPING_KEY_SALT, max_age=TYPING_KEY_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if side not in OTHER_SIDE or not isinstance(chat_id, int):
        return None
    return chat_id, side, str(name)
