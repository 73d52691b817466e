"""helpdesk.templatetags.kept_forms: a blank form's drawing is kept per language and initial
values, and is crispy's own; a rejected form is drawn afresh with its errors and input."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django.utils import translation

from helpdesk.forms.bulk import BulkChangeForm
from helpdesk.forms.workspace import AssignForm, PriorityForm, StatusForm
from helpdesk.models import Priority
from helpdesk.templatetags.kept_forms import crispy_field_kept, crispy_kept


def test_a_kept_drawing_is_crispys_own_in_each_language():
    drawings = {}
    for language in ("en", "hu", "pl"):
        with translation.override(language):
            crispy_kept(StatusForm())  # kept
            drawings[language] = crispy_kept(StatusForm())
            assert drawings[language] == as_crispy_form(StatusForm())
    assert len(set(drawings.values())) == 3


def test_initial_values_are_part_of_what_is_kept():
    high, low = (
        crispy_kept(PriorityForm(initial={"priority": Priority.HIGH})),
        crispy_kept(PriorityForm(initial={"priority": Priority.LOW})),
    )

    assert high == as_crispy_form(PriorityForm(initial={"priority": Priority.HIGH}))
    assert low == as_crispy_form(PriorityForm(initial={"priority": Priority.LOW}))
    assert high != low


def test_a_rejected_form_is_drawn_with_its_errors_and_what_was_typed():
    crispy_kept(StatusForm())

    rejected = StatusForm({"status": "waiting", "message": " "})
    assert not rejected.is_valid()
    drawing = crispy_kept(rejected)

    assert "Tell the customer what you need from them or what was done." in drawing
    assert drawing == as_crispy_form(rejected)


def test_a_form_with_choices_from_the_database_is_never_kept(agent, other_agent):
    first = crispy_kept(AssignForm())
    other_agent.first_name = "Benedek"
    other_agent.save()

    assert "Benedek" in crispy_kept(AssignForm())
    assert "Benedek" not in first


def test_the_bulk_change_is_kept_and_crispys_own():
    with translation.override("hu"):
        assert crispy_field_kept(BulkChangeForm()["action"]) == crispy_field_kept(BulkChangeForm()["action"])
        assert crispy_field_kept(BulkChangeForm()["action"]) == as_crispy_field(BulkChangeForm()["action"])
