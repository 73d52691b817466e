"""Tags: free words agents put on tickets to find them again ("refund", "router", "vip")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

TAG_MAX_LENGTH = 40


def normalise_tag(text: str) -> str:
    """One spelling per tag: "  Refund   Request " and "refund request" are the same tag."""
    return " ".join(text.split()).lower()[:TAG_MAX_LENGTH]


class TagQuerySet(models.QuerySet):
    def suggested(self):
        """The tags offered while typing, read from the name index alone (no count of their uses:
        that would read every tagged ticket on each page view)."""
        return self.order_by("name")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name
