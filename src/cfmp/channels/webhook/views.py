"""The JSON webhook's one view. Thin: check the signature, read the messages, and pass them
to `cfmp.feedback.services.receive_sms_batch`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cfmp.channels.webhook.auth import body_signature_is_valid
from cfmp.channels.webhook.type import NAME
from cfmp.core.bounds import OutOfBounds, load_json, parse_moment
from cfmp.feedback import services

MAX_BATCH = 1000


def _field_text(item: dict[str, Any], name: str, prefix: str, *, required: bool = True) -> str:
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
    received = services.receive_sms_batch(gateway=NAME, messages=messages)
    results = [{"id": r.message.pk, "kind": r.message.kind, "created": r.created} for r in received]
    if batch:
        return JsonResponse({"results": results})
    return JsonResponse(results[0], status=201 if received[0].created else 200)
