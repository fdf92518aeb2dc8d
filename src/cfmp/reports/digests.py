"""Daily and weekly email digests: each officer gets their scope's figures, worst offices
and alerts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.accounts.scopes import REPORT_DIGEST_ROLES, office_scope
from cfmp.core import quarantine
from cfmp.core.models import Pipeline
from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.models import Alert
from cfmp.reports.selectors import province_summary, run_report


def digest_for(user: User, *, start: dt.date, end: dt.date) -> str:
    complaints = run_report(
        CATALOGUE["complaints-by-office-range"], user=user, start=start, end=end
    )
    alerts = Alert.objects.filter(
        office_scope(user, via="office"), week_end__gte=start, week_end__lte=end
    ).select_related("office", "official")
    return render_to_string(
        "reports/digest.txt",
        {
            "user": user,
            "start": start,
            "end": end,
            "totals": province_summary(user=user, start=start, end=end),
            "worst": [row for row in complaints.rows if row.value][:5],
            "alerts": alerts[:10],
            "base_url": settings.CFMP_PUBLIC_URL,
        },
    )


def send_report_digests(*, weekly: bool = False, today: dt.date | None = None) -> int:
    """Yesterday's (or the last seven days') figures to every officer with an email
    address; returns how many were sent. One officer's digest that fails (a bad address, a
    figure that cannot be drawn) is quarantined with its reason and sent again when due
    (`replay_digest`); the others are sent."""
    today = today or timezone.localdate()
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=6) if weekly else end
    officers = list(
        User.objects.filter(is_active=True, role__in=REPORT_DIGEST_ROLES).exclude(email="")
    )
    return len(
        quarantine.run_each(
            pipeline=Pipeline.DIGESTS, items=officers,
            process=lambda user: send_report_digest(user, start=start, end=end, weekly=weekly),
            key=lambda user: f"report:{start}:{end}:{int(weekly)}:{user.pk}",
        ).done
    )  # fmt: skip


def send_report_digest(user: User, *, start: dt.date, end: dt.date, weekly: bool) -> None:
    period = f"{start} – {end}" if weekly else str(end)
    body = digest_for(user, start=start, end=end)
    send_mail(f"CFMP {'weekly' if weekly else 'daily'} report: {period}", body, None, [user.email])


def replay_digest(item: str) -> None:
    """A quarantined report digest (`report:START:END:WEEKLY:USER`) sent again."""
    _, start, end, weekly, user_id = item.split(":")
    user = User.objects.get(pk=int(user_id), is_active=True)
    send_report_digest(
        user,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        weekly=weekly == "1",
    )
