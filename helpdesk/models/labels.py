"""Choice labels looked up in a dictionary built once per field and language.

Django's `get_<field>_display()` rebuilds a dictionary of every choice on each call, then
translates the label; a timeline of 50 entries calls it 150 times, and the long list of ticket
events made that a tenth of the workspace's time. Models inheriting `ChoiceLabels` look the label
up in a dictionary of translated labels made once per field and language. Only for fields whose
choices are fixed in the code (none of ours is computed at run time).
"""

from functools import cache

from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@cache
def _labels(field, language: str | None) -> dict:
    # Called with `language` active, so str() gives the label in it.
    return {value: str(label) for value, label in make_hashable(field.flatchoices)}


class ChoiceLabels(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return _labels(field, get_language()).get(make_hashable(value), value)
