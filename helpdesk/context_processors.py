from django.utils.functional import SimpleLazyObject

from helpdesk.notices import notices_for
from helpdesk.roles import is_agent, is_manager


def roles(request):
    """`role.agent` and `role.manager` for the navigation; evaluated only when a page asks."""
    user = request.user
    return {
        "role": SimpleLazyObject(
            lambda: {"agent": is_agent(user), "manager": is_manager(user)},
        )
    }


def notices(request):
    """`notices`: what other apps announce on this page (see helpdesk.notices), read lazily."""
    return {"notices": SimpleLazyObject(lambda: notices_for(request))}
