from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm


class ResetForm(PasswordResetForm):
    """Django's reset form; the sign-in log records that a reset link was asked for (the
    page answers the same whether or not the address is known, so it never tells)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        from cfmp.accounts import services

        request = kwargs.get("request")
        for user in self.get_users(self.cleaned_data["email"]):
            services.record_sign_in_event(kind="reset_requested", user=user, request=request)
        super().save(*args, **kwargs)
