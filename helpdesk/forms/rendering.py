"""The form renderer: the simplest widgets written out in Python, the rest from templates.

A form field's widget is drawn through Django's widget templates, an include per field and one
more per attribute list and per option. The workspace shows ten forms and the queue page a row
of filters on every refresh; those templates were a fifth of their time. The inputs, text
areas, selects and lists of checkboxes or radio buttons are drawn here instead, with the same
markup (tests/helpdesk/test_form_rendering.py compares them with Django's templates); any other
widget, or a template a project overrides, still goes through the templates.
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


def draw_input_option(widget: dict) -> SafeString:
    """A checkbox or radio button of a list (a tag alone, or wrapped in its label)."""
    tag = draw_input(widget)
    if not widget.get("wrap_label"):
        return tag
    label_for = format_html(' for="{}"', widget["attrs"]["id"]) if widget["attrs"].get("id") else ""
    return format_html("<label{}>{} {}</label>", label_for, tag, widget["label"])


def draw_multiple_input(widget: dict) -> SafeString | None:
    """A list of checkboxes or radio buttons; None when an option has a template of its own."""
    options = [option for _group, group_options, _index in widget["optgroups"] for option in group_options]
    if any(option["template_name"] not in OPTIONS for option in options):
        return None
    attrs = widget["attrs"]
    parts = [
        format_html(
            "<div{}{}>",
            format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
            format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
        )
    ]
    for group_name, group_options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html("\n  <div><label>{}</label>", group_name))
        parts.extend(
            format_html("<div>\n    {}</div>", draw_input_option(option)) for option in group_options
        )
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 (each part is escaped by format_html)


OPTIONS = {f"{WIDGETS}checkbox_option.html", f"{WIDGETS}radio_option.html"}
DRAWN = {
    **dict.fromkeys(INPUTS, draw_input),
    **dict.fromkeys(OPTIONS, draw_input_option),
    f"{WIDGETS}checkbox_select.html": draw_multiple_input,
    f"{WIDGETS}radio.html": draw_multiple_input,
    f"{WIDGETS}textarea.html": draw_textarea,
    f"{WIDGETS}select.html": draw_select,
}


class WidgetsInPython(DjangoTemplates):
    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        drawn = draw(context["widget"]) if draw is not None and "widget" in context else None
        if drawn is None:
            return super().render(template_name, context, request)
        return drawn
