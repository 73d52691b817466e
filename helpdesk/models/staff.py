from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def staff_name(user) -> str:
    """How colleagues and customers see a staff member: first name, else the username."""
    return user.get_short_name() or user.get_username()


def staff_language(user) -> str:
    """The language a staff member reads their mail in: their profile's, else the site's. A
    profile read with the user (`select_related("…staff_profile")`) is not read again."""
    read_with_user = StaffProfile.user.field.remote_field
    if read_with_user.is_cached(user):
        profile = read_with_user.get_cached_value(user)
        return (profile and profile.language) or settings.LANGUAGE_CODE
    return StaffProfile.objects.filter(user=user).values_list("language", flat=True).first() or (
        settings.LANGUAGE_CODE
    )


class StaffProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's profile, created on first use so every staff member has one.

        A signed-in user's profile was read with them (helpdesk.staff_backend): that one is it.
        """
        read_with_user = self.model.user.field.remote_field
        if read_with_user.is_cached(user) and read_with_user.get_cached_value(user) is not None:
            return read_with_user.get_cached_value(user)
        profile, _created = self.get_or_create(user=user)
        read_with_user.set_cached_value(user, profile)
        return profile


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    BREAK = "break", _("On a short break")
    AWAY = "away", _("Away")


def default_alert_emails() -> list[str]:
    """What waits for an agent until they read it: assigned to them, a mention, an SLA at risk,
    a compensation decided. A customer's reply and a waiting chat are for the open page only:
    they come often, and a chat cannot wait for an email to be read."""
    return ["assigned", "mentioned", "at_risk", "compensation_decided"]


class StaffProfile(models.Model):
    """What the helpdesk keeps about an agent or manager beyond their Django login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the staff pages; empty follows the browser."),
    )

    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability, default=Availability.AVAILABLE
    )
    break_until = models.DateTimeField(_("on a break until"), null=True, blank=True)

    # The kinds of their notifications (AgentAlert.Kind) an agent also gets by email.
    alert_emails = models.JSONField(
        _("notifications also by email"), default=default_alert_emails, blank=True
    )

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        permissions = [
            ("work_tickets", _("Can work tickets in the agent workspace")),
            ("manage_service", _("Can run the service: crises, compensation, configuration")),
        ]

    def __str__(self):
        return self.user.get_username()

    default_alert_emails = staticmethod(default_alert_emails)

    def is_available(self, now=None) -> bool:
        """Takes new tickets: available, or a break that has run out."""
        if self.availability == Availability.BREAK:
            return self.break_until is not None and self.break_until <= (now or timezone.now())
        return self.availability == Availability.AVAILABLE

    def take_break(self, minutes: int) -> None:
        # A few minutes to recover after a hard conversation: take-next leaves the agent alone.
        self.availability, self.break_until = Availability.BREAK, timezone.now() + timedelta(minutes=minutes)
        self.save(update_fields=["availability", "break_until"])

    def set_available(self) -> None:
        self.availability, self.break_until = Availability.AVAILABLE, None
        self.save(update_fields=["availability", "break_until"])

    def set_away(self) -> None:
        self.availability, self.break_until = Availability.AWAY, None
        self.save(update_fields=["availability", "break_until"])

    def choose_alert_emails(self, kinds: list[str]) -> None:
        self.alert_emails = sorted(set(kinds))
        self.save(update_fields=["alert_emails"])

    def remember_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            self.save(update_fields=["language"])
