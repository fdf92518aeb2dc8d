"""Who is heard (issue 23, item 4): the response rate — citizens who answered, of those
contacted — by contact channel and by the hour of the day they were first contacted on it,
with its 95 % Wilson interval, in the reader's scope.

Counted like the other rollups, on the day of the service (`ResponseCount`, recounted with
the day's DailyCount rows): a survey counts as contacted on a channel once an attempt on it
reached the gateway, at the local hour of the first such attempt, and as answered on it when
the citizen's (real) feedback came back through that channel (an SMS reply, a robocall key, a
call-centre call)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Sum
from django.utils import timezone

from cfmp.accounts.scopes import office_scope
from cfmp.core.stats import wilson
from cfmp.feedback.models import Feedback, FeedbackChannel, real_feedback
from cfmp.outreach.models import Channel, ContactAttempt
from cfmp.registry.models import Office
from cfmp.reports.models import ResponseCount

# The feedback channel a contact channel's answers come back on.
ANSWERED_ON: dict[str, str] = {
    Channel.SMS: FeedbackChannel.SMS,
    Channel.VOICE: FeedbackChannel.IVR,
    Channel.MANUAL: FeedbackChannel.AGENT,
}


def count_day(day: dt.date, start: dt.datetime, end: dt.datetime) -> list[ResponseCount]:
    """The day's rows (services in [start, end)), from the raw tables."""
    first_contacts = (
        ContactAttempt.objects.filter(
            survey__transaction__occurred_at__gte=start,
            survey__transaction__occurred_at__lt=end,
            submitted_at__isnull=False,
        )
        .values(
            "survey__transaction_id",
            "survey__transaction__office_id",
            "survey__transaction__service_id",
            "channel",
        )
        .annotate(first=Min("submitted_at"))
        .order_by()
    )
    answered = set(
        Feedback.objects.filter(
            real_feedback(),
            transaction__occurred_at__gte=start,
            transaction__occurred_at__lt=end,
        )
        .values_list("transaction_id", "channel")
        .distinct()
        .order_by()
    )
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    zone = timezone.get_default_timezone()
    for row in first_contacts:
        hour = timezone.localtime(row["first"], zone).hour
        key = (
            row["survey__transaction__office_id"],
            row["survey__transaction__service_id"],
            row["channel"],
            hour,
        )
        counts[key][0] += 1
        on = ANSWERED_ON.get(row["channel"])
        if (row["survey__transaction_id"], on) in answered:
            counts[key][1] += 1
    offices = {
        pk: (department, district)
        for pk, department, district in Office.objects.filter(
            pk__in={key[0] for key in counts}
        ).values_list("pk", "department_id", "district_id")
    }
    return [
        ResponseCount(
            day=day, office_id=office, service_id=service, channel=channel, hour=hour,
            department_id=offices[office][0], district_id=offices[office][1],
            contacted=contacted, responded=responded,
        )
        for (office, service, channel, hour), (contacted, responded) in counts.items()
    ]  # fmt: skip


def recount_day(day: dt.date, start: dt.datetime, end: dt.datetime) -> None:
    """Replace the day's rows (inside the caller's transaction)."""
    rows = count_day(day, start, end)
    ResponseCount.objects.filter(day=day).delete()
    ResponseCount.objects.bulk_create(rows, batch_size=2000)


@dataclass(frozen=True)
class Rate:
    channel: str
    channel_label: str
    hour: int | None  # None: all hours
    contacted: int
    responded: int
    rate: float | None
    low: float
    high: float


def response_rates(*, user: Any | None, start: dt.date, end: dt.date) -> list[Rate]:
    """Per channel (all hours, then each hour with contacts), in the user's scope (all for
    None), over the days of service [start, end]."""
    rows = ResponseCount.objects.filter(day__gte=start, day__lte=end)
    if user is not None:
        rows = rows.filter(office_scope(user, via="office"))
    by_hour = (
        rows.values("channel", "hour")
        .annotate(contacted=Sum("contacted"), responded=Sum("responded"))
        .order_by("channel", "hour")
    )
    labels = dict(Channel.choices)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    hours: dict[str, list[Rate]] = defaultdict(list)
    for row in by_hour:
        totals[row["channel"]][0] += row["contacted"]
        totals[row["channel"]][1] += row["responded"]
        hours[row["channel"]].append(
            _rate(row["channel"], labels, row["hour"], row["contacted"], row["responded"])
        )
    result = []
    for channel, (contacted, responded) in sorted(totals.items()):
        result.append(_rate(channel, labels, None, contacted, responded))
        result += hours[channel]
    return result


def _rate(channel: str, labels: dict, hour: int | None, contacted: int, responded: int) -> Rate:
    low, high = wilson(responded, contacted)
    return Rate(
        channel, str(labels.get(channel, channel)), hour, contacted, responded,
        responded / contacted if contacted else None, low, high,
    )  # fmt: skip


__all__ = ["Rate", "count_day", "recount_day", "response_rates"]
