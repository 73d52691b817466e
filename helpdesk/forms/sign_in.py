from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LiftLockoutForm(forms.Form):
    """Which pause to lift: an account's, or a client address's."""

    username = forms.CharField(max_length=255, required=False)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("ip_address")):
            raise ValidationError(_("Choose one account or one client address to let sign in again."))
        return data
