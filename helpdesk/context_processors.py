from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from helpdesk import hooks
from helpdesk.roles import is_agent, is_manager


def roles(request):
    """`role.agent` and `role.manager` for the navigation; evaluated only when a page asks."""
    # A request refused before the authentication middleware ran (a bad Host header: 400) has
    # no user; its error page must still render.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "role": SimpleLazyObject(
            lambda: {"agent": is_agent(user), "manager": is_manager(user)},
        )
    }


def navigation(request):
    """`navigation.agent` and `navigation.manager`: the staff menu the installed apps contribute."""
    return {
        "navigation": SimpleLazyObject(
            lambda: {"agent": hooks.navigation("agent"), "manager": hooks.navigation("manager")}
        )
    }


def notices(request):
    """`notices`: what other apps announce on this page (see helpdesk.hooks), read lazily."""
    return {"notices": SimpleLazyObject(lambda: hooks.page_notices(request))}
