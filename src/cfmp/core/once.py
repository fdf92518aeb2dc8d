"""The view side of one-submission forms: what a person sees when a page is sent twice."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cfmp.core.services import AlreadySubmitted


def already_done(request: HttpRequest, repeat: AlreadySubmitted, *, fallback: str) -> HttpResponse:
    """The repeat wrote nothing: say so, and show where the first submission led."""
    messages.info(request, _("This form was already sent; nothing was recorded twice."))
    url = repeat.outcome_url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        url = fallback
    return redirect(url)


def posted_token(request: HttpRequest) -> str:
    """The token of a form written by hand in a template (`{% form_token %}`)."""
    return request.POST.get("form_token", "")
