from django import template

from helpdesk.models.staff import staff_name as name_of

register = template.Library()


@register.filter
def staff_name(user) -> str:
    """The staff member's name as helpdesk.models.staff.staff_name gives it; nothing for no one."""
    return "" if user is None else name_of(user)
