"""The Twilio-compatible call script and callbacks (the prompts' audio they play is served
by `cfmp.outreach.views.prompt_audio`). Every callback must carry the provider's
signature of its URL and parameters (X-Twilio-Signature); a forged or altered one gets 403
and changes nothing."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from cfmp.channels.base import own_setting
from cfmp.channels.twilio.adapter import STATUS_OUTCOMES, public_url
from cfmp.core.bounds import OutOfBounds, query_int
from cfmp.outreach.models import ContactAttempt
from cfmp.outreach.voice.results import (
    KEYS,
    MAX_CALL_SECONDS,
    record_call_digit,
    record_call_result,
)


def _signed(request: HttpRequest) -> bool:
    """The provider signs the URL it called (the one CFMP gave it: CFMP_PUBLIC_URL's) and
    the POSTed parameters with the account's auth token."""
    token = own_setting("CFMP_TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature.isascii():  # a signature is base64; the validator would raise on it
        return False
    url = settings.CFMP_PUBLIC_URL.rstrip("/") + request.get_full_path()
    return bool(token and signature) and RequestValidator(token).validate(
        url, request.POST.dict(), signature
    )


def twilio_callback(
    view: Callable[[HttpRequest, ContactAttempt], HttpResponse],
) -> Callable[..., HttpResponse]:
    """A provider's POST about one robocall attempt: refused (403, nothing changed) unless
    signed; the view gets the attempt."""

    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def checked(request: HttpRequest, attempt_id: int) -> HttpResponse:
        if not _signed(request):
            return HttpResponse("bad signature", status=403, content_type="text/plain")
        attempt = get_object_or_404(
            ContactAttempt.objects.select_related("survey__plan"), pk=attempt_id, channel="voice"
        )
        # A parameter CFMP cannot take raises OutOfBounds: 400 naming it (core.middleware).
        return view(request, attempt)

    return checked


def _twiml(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="application/xml")


def _prompt_url(attempt: ContactAttempt, name: str) -> str:
    plan = attempt.survey.plan
    return public_url("voice-prompt", plan_id=plan.pk, language=plan.language, name=name)


def _thank_and_hang_up(response: VoiceResponse, attempt: ContactAttempt) -> HttpResponse:
    response.play(_prompt_url(attempt, "thanks"))
    response.hangup()
    return _twiml(response)


@twilio_callback
def twilio_answer(request: HttpRequest, attempt: ContactAttempt) -> HttpResponse:
    """The call's script: the opening and, if no key is pressed, the question once more,
    each inside a one-digit gather; then thanks and goodbye."""
    response = VoiceResponse()
    gather_url = public_url("voice-twilio-gather", attempt_id=attempt.pk)
    for name in ("opening", "question"):
        gather = response.gather(
            num_digits=1, timeout=settings.CFMP_CALL_DIGIT_SECONDS, action=gather_url,
            method="POST", action_on_empty_result=False,
        )  # fmt: skip
        gather.play(_prompt_url(attempt, name))
    return _thank_and_hang_up(response, attempt)


@twilio_callback
def twilio_gather(request: HttpRequest, attempt: ContactAttempt) -> HttpResponse:
    """The key pressed: recorded at once (feedback, or the call queue for 9); thanks."""
    digit = request.POST.get("Digits", "")
    if digit and digit not in KEYS:
        raise OutOfBounds("Digits", "must be one key: 0-9, * or #")
    if digit:
        record_call_digit(attempt_id=attempt.pk, digit=digit)
    return _thank_and_hang_up(VoiceResponse(), attempt)


@twilio_callback
def twilio_status(request: HttpRequest, attempt: ContactAttempt) -> HttpResponse:
    """The call's end: its outcome and duration on the attempt."""
    status = request.POST.get("CallStatus", "")
    outcome = STATUS_OUTCOMES.get(status)
    if outcome is not None:
        seconds = query_int(request.POST, "CallDuration", maximum=MAX_CALL_SECONDS)
        record_call_result(
            attempt_id=attempt.pk,
            outcome=outcome,
            seconds=None if seconds is None else float(seconds),
            detail=f"provider: {status}",
        )
    return HttpResponse(status=204)
