from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cfmp.accounts.models import IdentityView
from cfmp.accounts.services import record_identity_view
from cfmp.core.http import SignedInRequest
from cfmp.outreach.selectors import GROUPINGS, contact_history, outreach_summary


@login_required
def outreach_overview(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=2), dt.time.min, tzinfo=zone)
    by = request.GET.get("by", "office")
    if by not in GROUPINGS:
        by = "office"
    rows = outreach_summary(request.user, by=by, start=start, end=end)
    return render(
        request,
        "outreach/overview.html",
        {"rows": rows, "start": start, "end": end, "by": by},
    )


@login_required
def history(request: SignedInRequest) -> HttpResponse:
    mobile = request.GET.get("mobile", "").strip()
    surveys = contact_history(request.user, mobile=mobile or "-")
    if surveys is None:
        raise PermissionDenied
    shown = list(surveys) if mobile else []
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.CONTACT_HISTORY,
        subject="outreach.survey",
        object_ids=[survey.pk for survey in shown],
        request=request,
    )
    return render(request, "outreach/history.html", {"mobile": mobile, "surveys": shown})
