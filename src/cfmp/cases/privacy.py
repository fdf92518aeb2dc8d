"""What officers write on a case (action notes, dismissal reasons, the trail's reasons,
attachments' names), as a reader below the identity roles may see it: masked like the
citizens' words (`cfmp.feedback.privacy`), against the names of the case's office's officials
and of the citizens who complained. Officers write "Complainant Kiran, 0308-…" in good
faith; the office head must not read it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.feedback.anonymity import (
    GRAINS,
    About,
    Period,
    about,
    anonymity_k,
    applies_to,
    generalise_all,
    period_of,
)
from cfmp.feedback.privacy import mask_text, official_names_by_office


def case_names(case: Any) -> list[str]:
    """The names a case's text is masked against: its office's officials and its
    complainants (two queries, whatever the number of notes on the page)."""
    from cfmp.intake.models import Transaction

    officials = official_names_by_office([case.office_id]).get(case.office_id, [])
    complainants = Transaction.objects.filter(feedback__case_evidence__case=case).values_list(
        "citizen_name", flat=True
    )
    return [*officials, *complainants]


def would_be_masked(text: str, *, names: list[str]) -> bool:
    """Whether readers below the identity roles would read this text masked: the writer is
    warned (never refused: what they wrote stays whole for the secretariat)."""
    return mask_text(text, names=names) != text


class CaseText:
    """One reader's view of one case's free text: whole for the identity roles, masked
    for everyone else. Names are read once, on first use."""

    def __init__(self, case: Any, user: Any) -> None:
        self._case = case
        self._whole = can_view_citizen_identity(user)
        self._names: list[str] | None = None

    def __call__(self, text: str) -> str:
        if self._whole or not text:
            return text
        if self._names is None:
            self._names = case_names(self._case)
        return mask_text(text, names=self._names)

    def file_name(self, name: str) -> str:
        """An attachment's file name (its folders dropped), masked like a note."""
        return self(os.path.basename(name))


# How cases' dates and complaint counts are shown below the identity roles: the rule of
# `cfmp.feedback.anonymity`, applied to a case's opening complaint.


def named_official_feedback(feedback_ids: list[int]) -> set[int]:
    """Of these complaints, those that are evidence in a case against a named official:
    they keep that official, and are generalised among his transactions."""
    from cfmp.cases.models import Evidence

    return set(
        Evidence.objects.filter(
            feedback__in=feedback_ids, case__official__isnull=False
        ).values_list("feedback_id", flat=True)
    )


@dataclass(frozen=True)
class CaseShown:
    """How a case's dates may be shown: opened at the grain its opening complaint allows
    (among the named official's transactions), due by that period's end plus the time the
    case has (never the exact due moment, which is the opening minute plus whole days)."""

    opened: Period | None  # None: held (the case is not listed yet)
    due_by: dt.datetime | None

    @property
    def held(self) -> bool:
        return self.opened is None

    @property
    def grain(self) -> str:
        return self.opened.grain if self.opened else GRAINS[-1]


# Cases older than this are past any hold (a month's period has ended).
HOLD_HORIZON = dt.timedelta(days=62)


def _case_about(case: Any) -> About:
    return About(
        moment=case.opened_at,
        office_id=case.office_id,
        service_id=case.service_id,
        official_id=case.official_id,
        named_official=case.official_id is not None,
    )


def generalise_cases(
    cases: list[Any], *, user: Any, now: dt.datetime | None = None
) -> dict[int, CaseShown]:
    now = now or timezone.now()
    if not applies_to(user):
        return {c.pk: CaseShown(period_of(c.opened_at, "minute"), c.due_at) for c in cases}
    shown = generalise_all([_case_about(c) for c in cases], now=now)
    result = {}
    for case, opening in zip(cases, shown, strict=True):
        period = opening.period
        due_by = period.end + (case.due_at - case.opened_at) if period else None
        result[case.pk] = CaseShown(period, due_by)
    return result


def held_case_ids(cases: Any, *, now: dt.datetime | None = None) -> set[int]:
    """Of these cases (a queryset in the reader's scope), those not to be listed yet to a
    reader below the identity roles: their opening complaint is held."""
    if anonymity_k() <= 1:
        return set()  # nothing is held: no query
    now = now or timezone.now()
    recent = list(
        cases.filter(opened_at__gte=now - HOLD_HORIZON).only(
            "pk", "opened_at", "office_id", "service_id", "official_id"
        )
    )
    if not recent:
        return set()
    shown = generalise_all([_case_about(c) for c in recent], now=now)
    return {case.pk for case, s in zip(recent, shown, strict=True) if s.held}


def released_counts(cases: list[Any], *, user: Any, now: dt.datetime | None = None) -> dict:
    """How many of each case's complaints this reader may see listed (the count of a case's
    complaints, grown one by one, would date each arrival)."""
    from cfmp.cases.models import Evidence

    if not applies_to(user):
        return {case.pk: case.complaints for case in cases}
    evidence = list(
        Evidence.objects.filter(case__in=[c.pk for c in cases]).select_related(
            "feedback__transaction", "case"
        )
    )
    items = [about(e.feedback, named_official=e.case.official_id is not None) for e in evidence]
    counts = dict.fromkeys((case.pk for case in cases), 0)
    for item, shown in zip(evidence, generalise_all(items, now=now), strict=True):
        counts[item.case_id] += 0 if shown.held else 1
    return counts
