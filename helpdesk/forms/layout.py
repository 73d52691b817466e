"""How crispy-forms draws a form whose page writes the `<form>` tag, its token and its buttons.

Every form is drawn by crispy-forms with the Bootstrap 5 pack: `{{ form|crispy }}` or
`{{ form.field|as_crispy_field }}` for the plain ones, `{% crispy form %}` with a helper from
here for a form that needs a layout of its own (a row of filters, smaller labels, a field drawn
by a template of its own under `templates/<app>/fields/`).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout


def fields_only(*layout, label_class: str = "", show_errors: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's <form> has its own token when it posts
    helper.label_class = label_class
    helper.form_show_errors = show_errors
    helper.layout = Layout(*layout)
    return helper
