"""The form renderer: the simplest widgets written out in Python, the rest from templates.

A form field's widget is drawn through Django's widget templates, an include per field and one
more per attribute list and per option. The workspace shows ten forms and the queue page a row
of filters on every refresh; those templates were a fifth of their time. The inputs, text areas
and selects are drawn here instead, with the same markup (tests/helpdesk/test_form_rendering.py
compares them with Django's templates); any other widget, or a template a project overrides,
still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
}


def attributes(attrs: dict) -> SafeString:
    """What Django's attrs.html writes: ` name="value"`, a bare name for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def draw_input(widget: dict) -> SafeString:
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attributes(widget["attrs"])
    )


def draw_textarea(widget: dict) -> SafeString:
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        attributes(widget["attrs"]),
        widget["value"] or "",
    )


def draw_select(widget: dict) -> SafeString:
    parts = [format_html('<select name="{}"{}>', widget["name"], attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>',
                option["value"],
                attributes(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (each part is escaped by format_html)


DRAWN = {
    **dict.fromkeys(INPUTS, draw_input),
    f"{WIDGETS}textarea.html": draw_textarea,
    f"{WIDGETS}select.html": draw_select,
}


class WidgetsInPython(DjangoTemplates):
    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        if draw is None or "widget" not in context:
            return super().render(template_name, context, request)
        return draw(context["widget"])
