from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cfmp.outreach.callbacks import accept_kannel_report, parse_kannel_report


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
