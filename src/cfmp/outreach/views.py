from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cfmp.outreach import dispatch
from cfmp.outreach.channels.kannel import signature_is_valid

# Kannel's report types (dlr-mask bits).
DELIVERED, UNDELIVERABLE, BUFFERED, SUBMITTED, REJECTED = 1, 2, 4, 8, 16


@csrf_exempt
@require_GET
def kannel_delivery_report(request: HttpRequest) -> HttpResponse:
    """Kannel's dlr-url callback. Refuses a report without this attempt's signature; a
    repeated report is accepted and changes nothing."""
    try:
        attempt_id = int(request.GET["attempt"])
        kind = int(request.GET["type"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("attempt and type are required integers")
    if not signature_is_valid(attempt_id, request.GET.get("sig", "")):
        return HttpResponseForbidden("bad signature")
    if kind == SUBMITTED:
        dispatch.record_submission(attempt_id=attempt_id)
    elif kind == DELIVERED:
        dispatch.record_delivery_report(attempt_id=attempt_id, delivered=True)
    elif kind in (UNDELIVERABLE, REJECTED):
        dispatch.record_delivery_report(
            attempt_id=attempt_id,
            delivered=False,
            retryable=kind == UNDELIVERABLE,
            error="undeliverable" if kind == UNDELIVERABLE else "rejected by the SMSC",
        )
    return HttpResponse("ok")
