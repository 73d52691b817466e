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


def agent_alerts(request):
    """`unread_alerts`: the number beside "Notifications" in the navigation, read with the
    signed-in user (helpdesk.staff_backend); counted apart only for a user read another way."""
    user = getattr(request, "user", None) or AnonymousUser()

    def count() -> int:
        if hasattr(user, "unread_alert_count"):
            return user.unread_alert_count
        from helpdesk.models import AgentAlert

        return AgentAlert.objects.for_recipient(user).unread().count() if user.is_authenticated else 0

    return {"unread_alerts": SimpleLazyObject(count)}


def live_stream(request):
    """`live_stream`: an agent's pages follow their changes by push (helpdesk.live), each page
    on the channels its live parts name; a customer's page that is live sets its own."""
    from helpdesk import live

    user = getattr(request, "user", None) or AnonymousUser()
    return {"live_stream": SimpleLazyObject(lambda: is_agent(user) and live.staff_stream())}
