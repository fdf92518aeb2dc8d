"""Reminders by email: each case owner gets one digest of their overdue cases and those
falling due soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.accounts.scopes import sees_complaints_generalised
from cfmp.cases.models import Case
from cfmp.cases.privacy import generalise_cases, released_counts
from cfmp.cases.routing import routing_gaps
from cfmp.cases.selectors import due_for_digest, unowned_cases
from cfmp.cases.services import assign_unowned_cases
from cfmp.core import quarantine
from cfmp.core.models import Pipeline

DUE_SOON = dt.timedelta(days=2)


def send_case_digests(*, now: dt.datetime | None = None) -> int:
    """One email per owner with cases to chase, and the secretariat's daily check of the
    cases nobody holds; returns how many were sent."""
    now = now or timezone.now()
    assign_unowned_cases(now=now)
    unowned_sent = send_unowned_digest()
    owners = User.objects.filter(
        pk__in=Case.objects.filter(
            state__in=(Case.State.OPEN, Case.State.UNDER_INQUIRY), due_at__lt=now + DUE_SOON
        ).values("owner_id"),
        is_active=True,
    ).exclude(email="")

    sent: list[Any] = []
    # One owner's digest that fails is quarantined with its reason and sent again when due
    # (`replay_case_digest`); the others are sent.
    quarantine.run_each(
        pipeline=Pipeline.DIGESTS, items=list(owners),
        process=lambda owner: sent.append(owner) if send_case_digest(owner, now=now) else None,
        key=lambda owner: f"cases:{now:%Y-%m-%d}:{owner.pk}",
    )  # fmt: skip
    return unowned_sent + len(sent)


def send_case_digest(owner: Any, *, now: dt.datetime) -> bool:
    """The owner's digest, if they have cases to chase."""
    cases = list(due_for_digest(owner, now=now, soon=DUE_SOON).select_related("office", "official"))
    items = _as_shown(cases, owner=owner, now=now)
    if not items:
        return False
    overdue = [item for item in items if item["due"] < now]
    body = render_to_string(
        "cases/digest.txt",
        {
            "owner": owner,
            "overdue": overdue,
            "due_soon": [item for item in items if item["due"] >= now],
            "base_url": settings.CFMP_PUBLIC_URL,
        },
    )
    subject = f"CFMP: {len(overdue)} overdue, {len(items) - len(overdue)} due soon"
    send_mail(subject, body, None, [owner.email])
    return True


def _as_shown(cases: list[Case], *, owner: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """The cases as the owner may read them (docs/privacy.md): below the identity roles, due
    by the generalised date (`cases.privacy.generalise_cases`: the opening period's end plus
    the case's time, shown as a day), listed and counted overdue by it, held cases left out,
    and only the complaints released counted — the day a case first appears or turns overdue
    in a daily email must not date its complaint. The SLA itself runs on the exact dates."""
    shown = generalise_cases(cases, user=owner, now=now)
    counts = released_counts(cases, user=owner, now=now)
    exact = not sees_complaints_generalised(owner)
    items = []
    for case in cases:
        due = shown[case.pk].due_by
        if due is None or due >= now + DUE_SOON:
            continue
        items.append({
            "case": case, "due": due, "complaints": counts[case.pk],
            "due_text": timezone.localtime(due).strftime("%Y-%m-%d %H:%M" if exact else "%Y-%m-%d"),
        })  # fmt: skip
    return items


def replay_case_digest(item: str) -> None:
    """A quarantined case digest (`cases:DAY:USER`) sent again, as of now."""
    owner = User.objects.get(pk=int(item.rpartition(":")[2]), is_active=True)
    send_case_digest(owner, now=timezone.now())


def send_unowned_digest() -> int:
    """The daily check (issue 17): each secretariat user is told which active cases wait
    for nobody and which levels have no officer, until none do. Returns emails sent."""
    from cfmp.accounts.models import Role

    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).exclude(email="")
    sent = 0
    gaps = routing_gaps()
    for user in secretariat:
        cases = list(unowned_cases(user).select_related("office", "official").order_by("due_at"))
        if not cases and not gaps:
            continue
        body = render_to_string(
            "cases/unowned_digest.txt",
            {"user": user, "cases": cases, "gaps": gaps, "base_url": settings.CFMP_PUBLIC_URL},
        )
        send_mail(f"CFMP: {len(cases)} cases wait for nobody", body, None, [user.email])
        sent += 1
    return sent
