"""The lobby screen of a branch: public, no login, redrawn when a visit changes (pushed), or by
htmx every few seconds without push."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk import hooks, live
from helpdesk.models import Branch
from helpdesk.walk_in import lobby as lobby_screen

POLL_SECONDS = 2


def _render_board(request, slug, template):
    try:
        branch = lobby_screen.lobby_branch(slug)
    except Branch.DoesNotExist:
        raise Http404 from None
    board = lobby_screen.board(branch)
    rotates = len(branch.lobby_languages) > 1
    # Each refresh may speak another language (the branch's rotation); the page says which,
    # and notice providers that pick their text by the request's language follow it too.
    request.LANGUAGE_CODE = board.language
    with translation.override(board.language):
        # The lobby's own slot, not the customer pages' notices: a screen across a room has
        # nothing to click or fill in.
        context = {
            "board": board,
            "poll_seconds": POLL_SECONDS,
            # With push, the board is redrawn on each change, and also when the language turns
            # or a call's highlight fades, which no event announces.
            "connected_poll_seconds": (
                lobby_screen.ROTATE_SECONDS if rotates else lobby_screen.HIGHLIGHT_SECONDS
            ),
            "live_stream": live.live_stream(reverse("helpdesk:live-lobby", args=[branch.slug])),
            "lobby_notices": hooks.LOBBY_NOTICES.collect(request),
        }
        return render(request, template, context)


@never_cache
@require_GET
def lobby(request, slug):
    return _render_board(request, slug, "helpdesk/walk_in/lobby.html")


@never_cache
@require_GET
def lobby_board(request, slug):
    return _render_board(request, slug, "helpdesk/walk_in/lobby.html#board")
