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
