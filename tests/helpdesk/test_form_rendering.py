"""Widgets drawn in Python (helpdesk.forms.rendering) give the markup of Django's templates."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from helpdesk.forms.rendering import WidgetsInPython

CHOICES = [("", "—"), ("a", "A & B"), ("Group", [("x", "X"), ("y", "Y<")]), (3, "Three")]
ATTRS = {"id": "id_f", "class": "form-control", "required": True, "aria-invalid": "true", "data-x": False}

WIDGETS = [
    (forms.TextInput(), 'Say "hi" & <go>'),
    (forms.TextInput(), None),
    (forms.NumberInput(attrs={"min": 0}), 7),
    (forms.EmailInput(), "anna@example.hu"),
    (forms.URLInput(), "https://example.com/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.HiddenInput(), 42),
    (forms.DateInput(attrs={"type": "date"}), date(2026, 11, 23)),
    (forms.SearchInput(), "router"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.FileInput(), None),
    (forms.Textarea(attrs={"rows": 3}), "Line one\nLine <two> & three"),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), "x"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), "not offered"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "y"]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["a", "y"]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), None),
    (forms.RadioSelect(choices=CHOICES), "x"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: type(item).__name__)
def test_the_markup_is_what_djangos_templates_write(widget, value):
    ours = widget.render("f", value, ATTRS, renderer=WidgetsInPython())
    djangos = widget.render("f", value, ATTRS, renderer=DjangoTemplates())

    assert parse_html(ours) == parse_html(djangos)  # attributes in any order, same elements and text


def test_text_is_escaped():
    html = forms.Textarea().render("f", "<script>alert(1)</script>", renderer=WidgetsInPython())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


class Filters(forms.Form):
    status = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)


def test_a_checkbox_drawn_alone_is_the_same():
    # The queue page draws its status filter one checkbox at a time (`choice.tag`).
    ours = [choice.tag() for choice in Filters({"status": ["a"]}, renderer=WidgetsInPython())["status"]]
    djangos = [choice.tag() for choice in Filters({"status": ["a"]}, renderer=DjangoTemplates())["status"]]

    assert [parse_html(tag) for tag in ours] == [parse_html(tag) for tag in djangos]
    assert ours[1] == '<input type="checkbox" name="status" value="a" id="id_status_1" checked>'


class OwnOption(forms.CheckboxSelectMultiple):
    option_template_name = "django/forms/widgets/input_option.html"


def test_other_widgets_still_use_the_templates():
    html = OwnOption(choices=[("a", "A")]).render("f", ["a"], renderer=WidgetsInPython())
    assert html == OwnOption(choices=[("a", "A")]).render("f", ["a"], renderer=DjangoTemplates())
    assert 'type="checkbox"' in html
    assert "<label" in html
