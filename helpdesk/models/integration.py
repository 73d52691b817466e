import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "hdk_"  # noqa: S105 (a marker that makes leaked tokens easy to scan for)


def hash_token(token: str) -> str:
    # Tokens are long random strings, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


class ApiIntegrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def create_with_token(self, *, name: str, created_by=None) -> tuple["ApiIntegration", str]:
        """A new integration and its token; the token is returned once and stored only hashed."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        integration = self.create(
            name=name, token_hash=hash_token(token), token_hint=token[-4:], created_by=created_by
        )
        return integration, token

    def authenticate(self, token: str) -> "ApiIntegration | None":
        if not token:
            return None
        return self.filter(token_hash=hash_token(token)).first()


class ApiIntegration(models.Model):
    """Another system (a web shop, a social-media tool) that opens tickets through the API."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token ends with"), max_length=4, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiIntegrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("API integration")
        verbose_name_plural = _("API integrations")

    def __str__(self):
        return self.name

    def deactivate(self) -> None:
        """Its token stops working at once (403); its tickets stay."""
        if self.is_active:
            self.is_active = False
            self.save(update_fields=["is_active"])

    def reactivate(self) -> None:
        if not self.is_active:
            self.is_active = True
            self.save(update_fields=["is_active"])

    def mark_used(self, at=None) -> None:
        self.last_used_at = at or timezone.now()
        ApiIntegration.objects.filter(pk=self.pk).update(last_used_at=self.last_used_at)


class ApiIdempotencyKey(models.Model):
    """A retried POST with the same Idempotency-Key gets the first answer again."""

    integration = models.ForeignKey(ApiIntegration, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=200)
    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "key"], name="idempotency_key_unique")]

    def __str__(self):
        return f"{self.integration} {self.key}"
