"""How a view makes a change that the state may refuse."""

from contextlib import contextmanager

from django.contrib import messages

from helpdesk.models import InvalidTransition


@contextmanager
def refusal_as_message(request):
    """Runs the block that makes a change. When the state refuses it (InvalidTransition), the
    rest of the block is skipped and the reason becomes an error message:

        with refusal_as_message(request):
            visit.mark_no_show(by=request.user)
            messages.info(request, _("%(number)s did not come.") % {"number": visit.code})
        return redirect(desk)
    """
    try:
        yield
    except InvalidTransition as error:
        messages.error(request, str(error))
