from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's profile, created on first use so every staff member has one."""
        profile, _created = self.get_or_create(user=user)
        return profile


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

    def remember_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            self.save(update_fields=["language"])
