"""Refuse to serve with DEBUG off and the default secret key.

Every way CFMP serves refuses: `cfmp runserver` (cfmp.core's runserver command) and the
WSGI application. `cfmp check --deploy` reports it as a critical error. Commands that only
manage data (migrate, makemigrations, dumpdata, import-registry) still work, so an operator
can prepare a database before the key is in place.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

INSECURE_KEY_MESSAGE = (
    "CFMP refuses to start with CFMP_DEBUG off and the default secret key: "
    "set CFMP_SECRET_KEY to a long random value (or CFMP_DEBUG=1 for local development)."
)


def uses_insecure_default_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if uses_insecure_default_key():
        return [checks.Critical(INSECURE_KEY_MESSAGE, id="cfmp.E001")]
    return []


def refuse_insecure_deployment() -> None:
    if uses_insecure_default_key():
        raise ImproperlyConfigured(INSECURE_KEY_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def check_security_contact(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Whoever finds a hole in a deployment must learn where to report it (RFC 9116)."""
    contacts = settings.CFMP_SECURITY_CONTACTS
    if not contacts:
        return [
            checks.Warning(
                "CFMP_SECURITY_CONTACT is not set: /.well-known/security.txt is not served.",
                hint="Set it to the programme's security contact (mailto: or https: URI).",
                id="cfmp.W191",
            )
        ]
    bad = [c for c in contacts if not c.startswith(("mailto:", "https://", "tel:"))]
    if bad:
        return [
            checks.Error(
                f"CFMP_SECURITY_CONTACT has {', '.join(bad)}: each must be a mailto:, "
                "https:// or tel: URI (RFC 9116).",
                id="cfmp.E191",
            )
        ]
    return []
