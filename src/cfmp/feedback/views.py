"""Gateways hand inbound SMS to CFMP here. Thin: check the caller, read the message, and
pass it to `services.receive_sms`."""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cfmp.core.bounds import OutOfBounds, load_json, parse_epoch_seconds, parse_moment
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
    services.receive_sms(
        gateway=Gateway.KANNEL,
        gateway_message_id=message_id,
        sender=sender,
        recipient=parameters.get("to", b"").decode("ascii", "replace"),
        text=_kannel_text(parameters["text"], charset),
        received_at=received_at,
    )
    return HttpResponse("", content_type="text/plain")


kannel_inbound.reads_raw_query = True  # type: ignore[attr-defined]
MAX_BATCH = 1000


def _field_text(item: dict, name: str, prefix: str, *, required: bool = True) -> str:
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise OutOfBounds(f"{prefix}{name}", "required")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise OutOfBounds(f"{prefix}{name}", "must be a string")
    return str(value)


def _sms_from(item: object, prefix: str) -> services.Sms:
    if not isinstance(item, dict):
        raise OutOfBounds(prefix.rstrip(".") or "body", "must be a JSON object")
    stamp = item.get("received_at")
    received_at = parse_moment(stamp, field=f"{prefix}received_at") if stamp else None
    return services.Sms(
        gateway_message_id=_field_text(item, "id", prefix),
        sender=_field_text(item, "from", prefix),
        text=_field_text(item, "text", prefix),
        recipient=_field_text(item, "to", prefix, required=False),
        received_at=received_at,
    )


@csrf_exempt
@require_POST
def json_inbound(request: HttpRequest) -> HttpResponse:
    """A generic webhook for aggregators, signed with X-CFMP-Signature. One message:
    POST {"id", "from", "text", "to"?, "received_at"? (ISO 8601 with offset)}; or many at
    once (as aggregators that batch their pushes send them): {"messages": [{...}, ...]},
    up to 1,000, answered with one result per message in order. A bad value anywhere
    refuses the whole push with 400 naming it (`messages[3].received_at: ...`), nothing
    stored, so the aggregator's retry carries the good ones once fixed."""
    try:
        body = request.body
    except RequestDataTooBig as too_big:
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
        raise OutOfBounds("body", _("must be at most %(n)s bytes") % {"n": limit}) from too_big
    if not body_signature_is_valid(body, request.headers.get("X-CFMP-Signature", "")):
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    # A bad value anywhere raises OutOfBounds: 400 naming it (`core.middleware`).
    payload = load_json(body)
    batch = isinstance(payload, dict) and "messages" in payload
    items = payload["messages"] if batch else [payload]
    if not isinstance(items, list) or not 0 < len(items) <= MAX_BATCH:
        raise OutOfBounds("messages", f"must be a list of 1 to {MAX_BATCH}")
    messages = [_sms_from(item, f"messages[{n}]." if batch else "") for n, item in enumerate(items)]
    received = services.receive_sms_batch(gateway=Gateway.WEBHOOK, messages=messages)
    results = [{"id": r.message.pk, "kind": r.message.kind, "created": r.created} for r in received]
    if batch:
        return JsonResponse({"results": results})
    return JsonResponse(results[0], status=201 if received[0].created else 200)
