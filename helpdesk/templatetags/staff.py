from django import template

register = template.Library()


@register.filter
def staff_name(user) -> str:
    """How colleagues and customers see a staff member: first name, else the username."""
    if user is None:
        return ""
    return user.get_short_name() or user.get_username()
