"""crispy-forms' drawing of a blank form, drawn once per language and kept.

crispy draws a form with a template per field, label, help text and widget: the workspace's ten
forms took a fifth of its time at 100,000 tickets, and most of them are the same on every ticket
(blank, their choices fixed in the code). A form whose class sets `drawn_alike = True` (or names
the fields that are in `fields_drawn_alike`) is drawn once per language, prefix and initial
values, and that drawing is reused. A bound form (rejected: its errors and what was typed) is
always drawn afresh, and so is any form in DEBUG, where templates are edited while the server
runs. A form whose choices come from the database (the agents to assign to) must not set it:
its drawing would keep the choices of the first page drawn.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()

# Keys are few (a form class, a language, the initial values of fixed choices); the bound is a
# guard against a form marked by mistake whose initial values vary from page to page.
KEPT_AT_MOST = 1000
_drawings: dict = {}


def _kept(key, draw):
    if settings.DEBUG:
        return draw()
    try:
        drawing = _drawings.get(key)
    except TypeError:  # an initial value that cannot be a key (a list): drawn every time
        return draw()
    if drawing is None:
        if len(_drawings) >= KEPT_AT_MOST:
            _drawings.clear()
        drawing = _drawings[key] = draw()
    return drawing


def _key(form, field_name=None):
    return (
        type(form),
        form.prefix,
        form.auto_id,
        get_language(),
        tuple(sorted(form.initial.items())),
        field_name,
    )


@register.filter
def crispy_kept(form):
    """`{{ form|crispy }}`, kept for a blank form whose class is `drawn_alike`."""
    if form.is_bound or not getattr(form, "drawn_alike", False):
        return as_crispy_form(form)
    return _kept(_key(form), lambda: as_crispy_form(form))


@register.filter
def crispy_field_kept(field):
    """`{{ form.field|as_crispy_field }}`, kept for a blank form's field named in its class's
    `fields_drawn_alike` (or any field of a `drawn_alike` form)."""
    form = field.form
    alike = getattr(form, "drawn_alike", False) or field.name in getattr(form, "fields_drawn_alike", ())
    if form.is_bound or not alike:
        return as_crispy_field(field)
    return _kept(_key(form, field.name), lambda: as_crispy_field(field))
