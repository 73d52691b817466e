"""System checks for settings that must agree with each other."""

import importlib.util

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

_UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.compatibility, deploy=True)
def check_email_is_delivered(app_configs, **kwargs):
    # Acknowledgements and status updates are the product's promise to customers; a production
    # site that only prints them has silently broken that promise.
    if settings.EMAIL_BACKEND in _UNDELIVERED_EMAIL_BACKENDS:
        return [
            Warning(
                "EMAIL_BACKEND does not deliver mail, so customers receive no acknowledgements.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
                id="helpdesk.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_from_address(app_configs, **kwargs):
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
        return [
            Warning(
                "DEFAULT_FROM_EMAIL is a localhost address; customers' mail servers will reject it.",
                hint="Set DEFAULT_FROM_EMAIL to the helpdesk's real address.",
                id="helpdesk.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_csrf_middleware(app_configs, **kwargs):
    # Django's own check (security.W003, silenced in settings) looks for its class by name and
    # cannot see our subclass (helpdesk.csrf); this one takes its place.
    if "helpdesk.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE:
        return [
            Warning(
                "helpdesk.csrf.CsrfViewMiddleware is not in MIDDLEWARE: forms are not protected "
                "against cross-site request forgery.",
                hint="Put helpdesk.csrf.CsrfViewMiddleware where Django's CsrfViewMiddleware would be.",
                id="helpdesk.W003",
            )
        ]
    return []


@register(Tags.compatibility)
def check_file_storage_is_installed(app_configs, **kwargs):
    # FILE_STORAGE=s3 names django-storages' backend, an optional extra: without it every upload
    # would fail with an import error, long after the start.
    if settings.FILE_STORAGE == "s3" and importlib.util.find_spec("storages") is None:
        return [
            Error(
                "FILE_STORAGE=s3 needs django-storages with boto3, which is not installed.",
                hint='pip install "helpdesk[s3]" (or "django-storages[s3]").',
                id="helpdesk.E001",
            )
        ]
    return []
