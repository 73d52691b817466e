"""Forms drawn by `includes/form_fields.html`: Bootstrap's classes come from the bound field.

The workspace shows ten small forms on one page; drawn by crispy-forms they took a quarter of its
time. These forms put Bootstrap's classes on their widgets themselves (and `is-invalid` on a
field with an error), so a short template draws them: label, widget, help text, errors.
"""

from django import forms
from django.forms.boundfield import BoundField


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
            classes = [attrs.get("class", ""), kind]
            if self.errors:
                classes.append("is-invalid")
            attrs["class"] = " ".join(css for css in classes if css)
        return attrs


class BootstrapForm(forms.Form):
    bound_field_class = BootstrapBoundField
