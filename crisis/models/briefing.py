"""Internal talking points per incident, versioned, and who has read which version."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BriefingQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def unread_by(self, user):
        """Current briefings of active incidents this user has not acknowledged: one query."""
        return (
            self.current()
            .exclude(incident__state="resolved")
            .exclude(acknowledgements__user=user)
            .select_related("incident")
            .order_by("incident__declared_at", "pk")
        )


class Briefing(models.Model):
    """One version of an incident's briefing. A change writes a new version; old ones stay."""

    incident = models.ForeignKey(
        "crisis.Incident", on_delete=models.CASCADE, related_name="briefings", verbose_name=_("incident")
    )
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(default=True, editable=False)
    what_we_know = models.TextField(_("what we know"))
    what_to_say = models.TextField(_("what to say"))
    what_not_to_promise = models.TextField(_("what not to promise"), blank=True)
    phrases_en = models.TextField(_("approved phrases in English"), blank=True)
    phrases_hu = models.TextField(_("approved phrases in Hungarian"), blank=True)
    phrases_pl = models.TextField(_("approved phrases in Polish"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = BriefingQuerySet.as_manager()

    CONTENT_FIELDS = (
        "what_we_know",
        "what_to_say",
        "what_not_to_promise",
        "phrases_en",
        "phrases_hu",
        "phrases_pl",
    )

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["incident", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "version"], name="briefing_version_once"),
            models.UniqueConstraint(
                fields=["incident"], condition=Q(is_current=True), name="briefing_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.incident} v{self.version}"

    @property
    def phrases(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                (_("English"), self.phrases_en),
                (_("Hungarian"), self.phrases_hu),
                (_("Polish"), self.phrases_pl),
            )
            if text.strip()
        ]

    @classmethod
    def publish(cls, *, incident, by, **content) -> "Briefing":
        """Write a new version; every agent is asked to read it again."""
        from crisis import banner  # the cached state says which incidents have a briefing

        with transaction.atomic():
            banner.forget_on_commit()
            # Lock the incident so two managers saving at once get consecutive versions.
            type(incident).objects.select_for_update().filter(pk=incident.pk).first()
            latest = cls.objects.filter(incident=incident).order_by("-version").first()
            cls.objects.filter(incident=incident, is_current=True).update(is_current=False)
            return cls.objects.create(
                incident=incident,
                version=(latest.version + 1) if latest else 1,
                written_by=by,
                **{name: content.get(name, "") for name in cls.CONTENT_FIELDS},
            )

    def acknowledge(self, *, by) -> bool:
        """The agent read this version. True when newly acknowledged."""
        _ack, created = BriefingAcknowledgement.objects.get_or_create(briefing=self, user=by)
        return created


class BriefingAcknowledgement(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["briefing", "user"], name="briefing_read_once")]

    def __str__(self):
        return f"{self.user} read {self.briefing}"
