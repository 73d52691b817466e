"""The channel directory: which channel handles what, when it is open, and the phone menu map.

Managers configure it; the hours come from a business calendar and the expected answer from a
queue's live line (helpdesk.directory), so the page never states hours or waits by hand.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import field_in_language
from helpdesk.models.routing import BusinessCalendar, Queue
from helpdesk.models.timeline import Channel

# The channels a customer can choose; the API is for other systems, not people.
LISTED_CHANNELS = [
    (Channel.WEB.value, Channel.WEB.label),
    (Channel.EMAIL.value, Channel.EMAIL.label),
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.WALK_IN.value, _("Walk-in desks")),
    (Channel.CHAT.value, Channel.CHAT.label),
]

# Channels whose hours are kept where the channel itself reads them, not on their listing.
HOURS_KEPT_ELSEWHERE = {
    Channel.CHAT.value: _("the live chat queue's calendar"),
    Channel.WALK_IN.value: _("each branch's calendar"),
}


class ChannelListingQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


class ChannelListing(models.Model):
    channel = models.CharField(_("channel"), max_length=16, choices=LISTED_CHANNELS)
    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_(
            "Where this entry serves, when a channel has one per city or country (Budapest, Warszawa), "
            "each with its own hours and public holidays."
        ),
    )
    purpose_en = models.TextField(_("what it is for (English)"))
    purpose_hu = models.TextField(_("what it is for (Hungarian)"), blank=True)
    purpose_pl = models.TextField(_("what it is for (Polish)"), blank=True)
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("The phone number, email address or street address customers use."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opening hours from"),
        help_text=_("Leave empty for a channel that takes requests at any time."),
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expected answer from"),
        help_text=_("The queue whose live line gives the expected time to a first answer."),
    )
    is_shown = models.BooleanField(_("shown to customers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ChannelListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel listing")
        verbose_name_plural = _("channel directory")
        ordering = ["position", "channel", "place"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "place"], name="one_listing_per_channel_and_place")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.place}" if self.place else self.get_channel_display()

    @property
    def purpose(self) -> str:
        return field_in_language(self, "purpose")

    @property
    def hours_kept_elsewhere(self) -> str:
        """Where this channel's hours come from when not from its own calendar; else empty."""
        return HOURS_KEPT_ELSEWHERE.get(self.channel, "")


class PhoneMenuOption(models.Model):
    """One choice of the phone menu ("press 1 for billing"); options nest under a parent."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("under"),
        help_text=_("Leave empty for a choice of the first menu."),
    )
    key = models.CharField(
        _("key"),
        max_length=1,
        validators=[RegexValidator(r"^[0-9*#]$", _("Use one key of the phone: 0–9, * or #."))],
    )
    label_en = models.CharField(_("label (English)"), max_length=150)
    label_hu = models.CharField(_("label (Hungarian)"), max_length=150, blank=True)
    label_pl = models.CharField(_("label (Polish)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("phone menu option")
        verbose_name_plural = _("phone menu")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "key"], name="one_phone_option_per_key"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(parent__isnull=True), name="one_top_phone_option_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.key} · {self.label}"

    @property
    def label(self) -> str:
        return field_in_language(self, "label")

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An option cannot sit under itself.")})
            ancestor = ancestor.parent
        siblings = PhoneMenuOption.objects.filter(parent=self.parent, key=self.key).exclude(pk=self.pk)
        if self.key and siblings.exists():
            raise ValidationError({"key": _("This key is already used in the same menu.")})


__all__ = ["LISTED_CHANNELS", "ChannelListing", "PhoneMenuOption"]
