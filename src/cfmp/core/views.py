import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cfmp.accounts.scopes import (
    can_view_citizen_identity,
    effective_role,
    sees_routing_gaps,
)
from cfmp.cases.routing import routing_gaps
from cfmp.cases.selectors import unowned_cases
from cfmp.core.home import attention_for, weeks_for
from cfmp.core.http import SignedInRequest
from cfmp.registry.selectors import (
    departments_visible_to,
    districts_visible_to,
    offices_visible_to,
    officials_visible_to,
)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """What needs this person now (issue 22), each figure linking to the list it counts:
    their overdue cases and those due this week, open alerts in their area, the review and
    call queues, and their area's week against the week before."""
    user = request.user
    role = effective_role(user)
    context: dict[str, Any] = {
        "role": role.label if role else None,
        "sees_identities": can_view_citizen_identity(user),
        "counts": {
            "departments": departments_visible_to(user).count(),
            "districts": districts_visible_to(user).count(),
            "offices": offices_visible_to(user).count(),
            "officials": officials_visible_to(user).count(),
        },
        "attention": attention_for(user) if role else [],
        "weeks": weeks_for(user) if role else [],
    }
    if sees_routing_gaps(user):  # nothing waits for nobody unseen (issue 17)
        context["unowned"] = unowned_cases(user).count()
        context["gaps"] = routing_gaps()
    return render(request, "core/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`'s wait: the web process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# RFC 9116 asks for an expiry under a year ahead; the file is written per request, so it
# never goes stale while the deployment's contact is set.
SECURITY_TXT_LIFETIME = dt.timedelta(days=180)


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """How to report a vulnerability (RFC 9116), from the deployment's own settings."""
    contacts = settings.CFMP_SECURITY_CONTACTS
    if not contacts:
        raise Http404("CFMP_SECURITY_CONTACT is not set")
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines.append(f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: en, ur")
    lines.append(f"Canonical: {request.build_absolute_uri(request.path)}")
    if settings.CFMP_SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.CFMP_SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


API_PREFIXES = ("/api/", "/kiosk/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a URL no route matches: JSON under the APIs (what their clients parse, and
    what the schema says), the usual page elsewhere."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": "not found"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Exception("not found"))
