"""Gateways hand inbound SMS to CFMP here. Thin: check the caller, read the message, and
pass it to `services.receive_sms`."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cfmp.feedback import services
from cfmp.feedback.models import Gateway
from cfmp.feedback.webhooks import basic_auth_key, body_signature_is_valid, secret_is_valid

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
    back by itself (acknowledgements go out through the channel)."""
    parameters = _raw_parameters(request)
    presented = basic_auth_key(request) or parameters.get("secret", b"").decode("utf-8", "replace")
    if not secret_is_valid(presented):
        return HttpResponseForbidden("bad secret")
    message_id = parameters.get("id", b"").decode("ascii", "replace")
    sender = parameters.get("from", b"").decode("ascii", "replace")
    if not message_id or not sender or "text" not in parameters:
        return HttpResponseBadRequest("id, from and text are required")
    charset = parameters.get("charset", b"UTF-8").decode("ascii", "replace")
    try:
        received_at = dt.datetime.fromtimestamp(int(parameters.get("time", b"")), tz=dt.UTC)
    except ValueError:
        received_at = None
    services.receive_sms(
        gateway=Gateway.KANNEL,
        gateway_message_id=message_id,
        sender=sender,
        recipient=parameters.get("to", b"").decode("ascii", "replace"),
        text=_kannel_text(parameters["text"], charset),
        received_at=received_at,
    )
    return HttpResponse("", content_type="text/plain")


MAX_BATCH = 1000


def _sms_from(item: object) -> services.Sms:
    if not isinstance(item, dict):
        raise TypeError("each message must be a JSON object")
    stamp = item.get("received_at")
    received_at = dt.datetime.fromisoformat(stamp) if stamp else None
    if received_at is not None and received_at.tzinfo is None:
        raise ValueError("received_at must carry its UTC offset")
    return services.Sms(
        gateway_message_id=str(item["id"]),
        sender=str(item["from"]),
        text=str(item["text"]),
        recipient=str(item.get("to", "")),
        received_at=received_at,
    )


@csrf_exempt
@require_POST
def json_inbound(request: HttpRequest) -> HttpResponse:
    """A generic webhook for aggregators, signed with X-CFMP-Signature. One message:
    POST {"id", "from", "text", "to"?, "received_at"? (ISO 8601 with offset)}; or many at
    once (as aggregators that batch their pushes send them): {"messages": [{...}, ...]},
    up to 1,000, answered with one result per message in order."""
    if not body_signature_is_valid(request.body, request.headers.get("X-CFMP-Signature", "")):
        return HttpResponseForbidden("bad signature")
    try:
        payload = json.loads(request.body)
        batch = isinstance(payload, dict) and "messages" in payload
        items = payload["messages"] if batch else [payload]
        if not isinstance(items, list) or not 0 < len(items) <= MAX_BATCH:
            raise ValueError(f"messages must be a list of 1 to {MAX_BATCH}")
        messages = [_sms_from(item) for item in items]
    except (ValueError, KeyError, TypeError) as problem:
        return HttpResponseBadRequest(
            f'expected a JSON object with id, from and text, or {{"messages": [...]}}: {problem}'
        )
    received = services.receive_sms_batch(gateway=Gateway.WEBHOOK, messages=messages)
    results = [{"id": r.message.pk, "kind": r.message.kind, "created": r.created} for r in received]
    if batch:
        return JsonResponse({"results": results})
    return JsonResponse(results[0], status=201 if received[0].created else 200)
