"""Integrations authenticate with `Authorization: Bearer <token>`; only the token's hash is stored."""

from ninja.security import HttpBearer

from helpdesk.models import ApiIntegration


class IntegrationInactive(Exception):
    """The token is right but a manager has deactivated its integration."""


class IntegrationToken(HttpBearer):
    def authenticate(self, request, token: str) -> ApiIntegration | None:
        integration = ApiIntegration.objects.authenticate(token)
        if integration is None:
            return None
        if not integration.is_active:
            raise IntegrationInactive
        integration.mark_used()
        return integration
