"""The sign-in log (accounts.SignInEvent), written from Django's and django-axes' signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from cfmp.accounts import services


@receiver(user_logged_in, dispatch_uid="cfmp-sign-in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record_sign_in_event(kind="signed_in", user=user, request=request)


@receiver(user_logged_out, dispatch_uid="cfmp-sign-out")
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.record_sign_in_event(kind="signed_out", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="cfmp-sign-in-failed")
def _failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    services.record_sign_in_event(
        kind="failed", username=str(credentials.get("username", "")), request=request
    )


def _locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    services.record_sign_in_event(kind="locked_out", username=username or "", request=request)


def connect_axes() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="cfmp-locked-out")
