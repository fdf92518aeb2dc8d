"""What a person's home page says needs them now (issue 22): reads only, each figure with
the filtered list it counts, so a click shows exactly those rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cfmp.accounts.scopes import can_call_citizens, can_review_feedback, office_scope


@dataclass(frozen=True)
class Item:
    count: int
    text: str
    url: str
    urgent: bool = False


def _url(name: str, **query: Any) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def attention_for(user: Any) -> list[Item]:
    from cfmp.accounts.scopes import can_see_cases
    from cfmp.cases.lists import due_between
    from cfmp.cases.selectors import my_cases
    from cfmp.feedback.selectors import call_queue_counts, review_queue
    from cfmp.reports.models import Alert

    items: list[Item] = []
    if can_see_cases(user):
        now = timezone.now()
        mine = my_cases(user).filter(state__in=("open", "under_inquiry"))
        # as the reader is shown the due dates (below the identity roles: periods)
        overdue = due_between(mine, user=user, start=None, end=now).count()
        week = now + dt.timedelta(days=7)
        due = due_between(mine, user=user, start=now, end=week).count()
        active = mine.count()
        items.append(
            Item(
                overdue,
                ngettext("of my cases is overdue", "of my cases are overdue", overdue),
                _url("cases:list", mine=1, overdue="true"),
                urgent=overdue > 0,
            )
        )
        items.append(
            Item(
                due,
                ngettext("of my cases is due this week", "of my cases are due this week", due),
                _url("cases:list", mine=1, due_within=7),
            )
        )
        items.append(
            Item(
                active,
                ngettext("active case with me", "active cases with me", active),
                _url("cases:list", mine=1, state="active"),
            )
        )
    open_alerts = Alert.objects.filter(
        office_scope(user, via="office"), acknowledged_at__isnull=True
    ).count()
    items.append(
        Item(
            open_alerts,
            ngettext("open alert in my area", "open alerts in my area", open_alerts),
            _url("reports:alerts", state="open"),
            urgent=open_alerts > 0,
        )
    )
    if can_review_feedback(user):
        waiting = review_queue(user).count()
        items.append(
            Item(
                waiting,
                ngettext("reply waits for review", "replies wait for review", waiting),
                _url("feedback-review"),
            )
        )
    if can_call_citizens(user):
        calls = sum(call_queue_counts().values())
        items.append(
            Item(
                calls,
                ngettext("citizen waits for a call", "citizens wait for a call", calls),
                _url("call-console"),
            )
        )
    return items


@dataclass(frozen=True)
class Week:
    label: str
    this_week: int
    last_week: int
    url: str

    @property
    def change(self) -> int:
        return self.this_week - self.last_week


def weeks_for(user: Any) -> list[Week]:
    """The area's transactions and complaints, the last seven days against the seven
    before. Complaints are counted as the reader's feedback list lists them (below the
    identity roles, held ones left out: the count says nothing the list does not)."""
    from cfmp.feedback.lists import without_held
    from cfmp.feedback.selectors import feedback_visible_to
    from cfmp.intake.selectors import transactions_visible_to

    today = timezone.localdate()
    starts = [today - dt.timedelta(days=6), today - dt.timedelta(days=13)]
    edges = [_midnight(starts[1]), _midnight(starts[0]), _midnight(today + dt.timedelta(days=1))]
    served = transactions_visible_to(user)
    complaints = without_held(
        feedback_visible_to(user).exclude(category__in=("satisfied", "unclear", "opt_out")),
        user=user,
    )
    weeks = []
    for label, rows, field, name in (
        (_("Transactions served"), served, "occurred_at", "intake:transaction-list"),
        (_("Complaints listed"), complaints, "created_at", "feedback-list"),
    ):
        last = rows.filter(**{f"{field}__gte": edges[0], f"{field}__lt": edges[1]}).count()
        this = rows.filter(**{f"{field}__gte": edges[1], f"{field}__lt": edges[2]}).count()
        weeks.append(Week(str(label), this, last, reverse(name)))
    return weeks


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
