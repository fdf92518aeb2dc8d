"""WhatsApp's one callback URL, as Meta's webhooks use it: GET for the subscription
handshake, POST for each notification (citizens' messages, statuses of CFMP's messages).
Thin: check the caller, read the notification, hand it to the flow's doors."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.views.decorators.csrf import csrf_exempt

from cfmp.channels.base import DeliveryReport
from cfmp.channels.whatsapp.auth import signature_is_valid, verify_token_matches
from cfmp.channels.whatsapp.notifications import Status, read_notification
from cfmp.channels.whatsapp.type import NAME
from cfmp.core.bounds import load_json
from cfmp.feedback import services
from cfmp.outreach import dispatch
from cfmp.outreach.models import Channel, ContactAttempt

MAX_CHALLENGE = 100


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    body = request.body
    if not signature_is_valid(body, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    # A notification CFMP cannot read raises OutOfBounds: 400 naming the field.
    inbound, statuses = read_notification(load_json(body))
    if inbound:
        services.receive_sms_batch(gateway=NAME, messages=inbound)
    reports = _reports(statuses)
    if reports:
        dispatch.apply_delivery_reports(reports)
    return HttpResponse("ok", content_type="text/plain")


def _handshake(request: HttpRequest) -> HttpResponse:
    """Meta verifies the callback URL: it answers with the challenge only to whoever knows
    the verify token."""
    challenge = request.GET.get("hub.challenge", "")
    if (
        request.GET.get("hub.mode") != "subscribe"
        or not verify_token_matches(request.GET.get("hub.verify_token", ""))
        or not challenge
        or len(challenge) > MAX_CHALLENGE
        or not challenge.isprintable()
    ):
        return HttpResponseForbidden("verification failed", content_type="text/plain")
    return HttpResponse(challenge, content_type="text/plain")


def _reports(statuses: list[Status]) -> list[tuple[int, DeliveryReport]]:
    """Each status as its attempt's report: the attempt whose send Meta answered with the
    status's message id, else (a worker that died before writing the id down) the one the
    send named in biz_opaque_callback_data."""
    if not statuses:
        return []
    by_message = dict(
        ContactAttempt.objects.filter(
            channel=Channel.SMS, gateway_id__in={s.message_id for s in statuses if s.message_id}
        ).values_list("gateway_id", "pk")
    )
    named = set(
        ContactAttempt.objects.filter(
            channel=Channel.SMS, pk__in={s.attempt_id for s in statuses if s.attempt_id}
        ).values_list("pk", flat=True)
    )
    reports = []
    for status in statuses:
        attempt_id = by_message.get(status.message_id)
        if attempt_id is None and status.attempt_id in named:
            attempt_id = status.attempt_id
        if attempt_id is not None:
            report = DeliveryReport(status.state, status.error, status.retryable)
            reports.append((attempt_id, report))
    return reports
