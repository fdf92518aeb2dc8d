"""Account pages: the second factor (TOTP), and the secretariat's sign-in log. Signing in,
out, password change and reset are Django's own views (cfmp.accounts.urls)."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cfmp.accounts import services
from cfmp.accounts.models import SignInEvent
from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_manage_users
from cfmp.accounts.selectors import sign_in_events_visible_to
from cfmp.core.http import SignedInRequest


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_svg(url: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@requires("two-factor-setup")
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Turn the second factor on: scan the code (or type the key) into an authenticator app,
    then confirm with one code from it."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            services.record_sign_in_event(kind="second_factor_on", user=user, request=request)
            messages.success(request, _("Second factor turned on."))
            return redirect(_next(request))
        form.add_error("token", _("That code is not right (or has expired): try the next one."))
    import base64

    key = base64.b32encode(device.bin_key).decode()
    key = " ".join(key[i : i + 4] for i in range(0, len(key), 4))  # readable, typed as is
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "key": key, "next": _next(request)},
    )


@requires("two-factor-verify")
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    """The second step of signing in, for an account with a second factor."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):  # throttled by django-otp after failures
                otp_login(request, device)
                return redirect(_next(request))
        services.record_sign_in_event(
            kind="second_factor_failed", user=request.user, request=request
        )
        form.add_error("token", _("That code is not right (or has expired)."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


class PasswordChange(auth_views.PasswordChangeView):
    """Django's: this session goes on (its key rotated), every other session of the account
    ends (their stored password hash no longer matches)."""

    template_name = "registration/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.record_sign_in_event(kind="password_changed", user=form.user, request=self.request)
        return response


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's (one-time token, expiring after PASSWORD_RESET_TIMEOUT); a new password also
    lifts a lockout of the account (its owner proved they hold the mailbox)."""

    template_name = "registration/password_reset_new.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        from axes.utils import reset as reset_lockout

        reset_lockout(username=form.user.get_username())
        services.record_sign_in_event(kind="password_reset", user=form.user, request=self.request)
        return response


@login_required
def sign_in_log(request: SignedInRequest) -> HttpResponse:
    """Who signed in, who failed and from where: the secretariat's (it manages accounts)."""
    if not can_manage_users(request.user):
        raise PermissionDenied
    events = sign_in_events_visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in SignInEvent.Kind.values:
        events = events.filter(kind=kind)
    return render(
        request,
        "accounts/sign_in_log.html",
        {"events": events[:500], "kinds": SignInEvent.Kind.choices, "kind": kind},
    )
