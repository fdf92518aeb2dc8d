"""The second factor (TOTP, django-otp): asked for after the password from anyone who has
turned it on, and from the secretariat and call-centre agents when CFMP_REQUIRE_2FA is set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.accounts.scopes import effective_role

SECOND_FACTOR_ROLES = frozenset({Role.SECRETARIAT, Role.CALL_CENTRE_AGENT})
# Pages a signed-in user reaches before their second factor: its own pages, signing out,
# the language switch.
EXEMPT_URL_NAMES = ("two-factor-setup", "two-factor-verify", "logout", "set_language")


def has_second_factor(user: Any) -> bool:
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))


def second_factor_required(user: Any) -> bool:
    if has_second_factor(user):
        return True
    return bool(settings.CFMP_REQUIRE_2FA) and effective_role(user) in SECOND_FACTOR_ROLES


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request)
            and second_factor_required(user)
        ):
            name = "two-factor-verify" if has_second_factor(user) else "two-factor-setup"
            return redirect(f"{reverse(name)}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path.startswith(static):
            return True
        return any(request.path == reverse(name) for name in EXEMPT_URL_NAMES)
