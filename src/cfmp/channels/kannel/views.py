"""Kannel's two callbacks: the delivery report (`dlr-url`) and an inbound SMS (`get-url`).
Thin: check the caller, parse the gateway's request, hand it to outreach or feedback."""

from __future__ import annotations

import urllib.parse

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cfmp.channels.kannel.auth import basic_auth_key, secret_is_valid
from cfmp.channels.kannel.reports import accept_kannel_report, parse_kannel_report
from cfmp.channels.kannel.type import NAME
from cfmp.core.bounds import parse_epoch_seconds
from cfmp.feedback import services as feedback_services


@csrf_exempt
@require_GET
def kannel_delivery_report(request: HttpRequest) -> HttpResponse:
    """Kannel's dlr-url callback. Refuses a report without this attempt's signature; a
    repeated report is accepted and changes nothing."""
    status, outcome = parse_kannel_report(dict(request.GET.lists()))
    if not isinstance(outcome, tuple):
        return HttpResponse(outcome, status=status, content_type="text/plain")
    try:
        accept_kannel_report(attempt_id=outcome[0], kind=outcome[1])
    except Exception:
        return HttpResponse("not recorded, try again", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# Kannel names a message's character set in %C; UCS-2 arrives as UTF-16BE unless smsbox
# re-codes it (mo-recode = true, as the configuration CFMP prints sets).
KANNEL_CHARSETS = {"UTF-16BE": "utf-16-be", "UCS-2": "utf-16-be", "UTF-8": "utf-8"}


def _raw_parameters(request: HttpRequest) -> dict[str, bytes]:
    """Query parameters as bytes: Kannel's text may be UTF-16, which Django would mangle."""
    parameters: dict[str, bytes] = {}
    for pair in request.META.get("QUERY_STRING", "").split("&"):
        name, _, value = pair.partition("=")
        parameters[urllib.parse.unquote(name)] = urllib.parse.unquote_to_bytes(
            value.replace("+", " ")
        )
    return parameters


def _kannel_text(raw: bytes, charset: str) -> str:
    return raw.decode(KANNEL_CHARSETS.get(charset.upper(), "latin-1"), "replace")


@csrf_exempt
@require_GET
def kannel_inbound(request: HttpRequest) -> HttpResponse:
    """Kannel's sms-service `get-url`. Answers with an empty body, so Kannel sends nothing
    back by itself (acknowledgements go out through the channel). A value CFMP cannot
    store is answered 400 naming the parameter (`core.middleware`), and nothing is stored."""
    parameters = _raw_parameters(request)
    presented = basic_auth_key(request) or parameters.get("secret", b"").decode("utf-8", "replace")
    if not secret_is_valid(presented):
        return HttpResponseForbidden("bad secret", content_type="text/plain")
    message_id = parameters.get("id", b"").decode("ascii", "replace")
    sender = parameters.get("from", b"").decode("ascii", "replace")
    if not message_id or not sender or "text" not in parameters:
        return HttpResponseBadRequest("id, from and text are required", content_type="text/plain")
    charset = parameters.get("charset", b"UTF-8").decode("ascii", "replace")
    stamp = parameters.get("time", b"").decode("ascii", "replace")
    received_at = parse_epoch_seconds(stamp, field="time") if stamp else None
    feedback_services.receive_sms(
        gateway=NAME,
        gateway_message_id=message_id,
        sender=sender,
        recipient=parameters.get("to", b"").decode("ascii", "replace"),
        text=_kannel_text(parameters["text"], charset),
        received_at=received_at,
    )
    return HttpResponse("", content_type="text/plain")


kannel_inbound.reads_raw_query = True  # type: ignore[attr-defined]
