"""Writes of the cases app: filing complaints into cases, moving cases through their states,
recording actions, escalating what is overdue. Every change leaves a CaseEvent."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cfmp.accounts.models import User
from cfmp.cases.models import (
    Action,
    Audience,
    Case,
    CaseEvent,
    Evidence,
    Kind,
    Level,
)
from cfmp.cases.routing import next_level, owner_at, route_for
from cfmp.core import quarantine
from cfmp.core.models import Pipeline
from cfmp.feedback.models import (
    COMPLAINTS,
    WALK_IN,
    Category,
    Feedback,
    FeedbackCorrection,
    real_feedback,
)
from cfmp.registry.models import Office

# Complaints a case can be about: a known transaction's, or a walk-in's at an office kiosk.
ABOUT_AN_OFFICE = Q(transaction__isnull=False) | WALK_IN

State = Case.State
ACTIVE = (State.OPEN, State.UNDER_INQUIRY)
# Bribe first; repeats raise a case, but never above a bribe case's start.
BASE_PRIORITY = {
    "bribe": 100,
    "misbehaviour": 60,
    "not_availed": 50,
    "delay": 40,
    "other_complaint": 30,
}
REPEAT_STEP, REPEAT_CAP = 5, 35
TRANSITIONS = {
    State.OPEN: {State.UNDER_INQUIRY, State.ACTION_TAKEN, State.DISMISSED},
    State.UNDER_INQUIRY: {State.ACTION_TAKEN, State.DISMISSED},
    State.ACTION_TAKEN: {State.CLOSED, State.UNDER_INQUIRY},
    State.CLOSED: {State.OPEN},
    State.DISMISSED: {State.OPEN},
}
# Actions that are a sanction: when a bribe case gets one, the citizen may be told.
SANCTIONS = {
    Action.Kind.WARNING,
    Action.Kind.SHOW_CAUSE,
    Action.Kind.COACHING,
    Action.Kind.TRANSFER,
    Action.Kind.SUSPENSION,
    Action.Kind.ACE_REFERRAL,
}
THANK_YOU_SMS = (
    "آپ کی شکایت پر کارروائی کی گئی ہے۔ شکریہ۔ "
    "Action has been taken on your complaint. Thank you. (Citizen Feedback Monitoring Program)"
)


class CaseError(ValueError):
    """A change the case's state does not allow, or one missing what it needs."""


def priority_for(kind: str, complaints: int) -> int:
    return BASE_PRIORITY[kind] + min(REPEAT_STEP * (complaints - 1), REPEAT_CAP)


def _event(
    case: Case, kind: str, *, actor: User | None = None, at: dt.datetime, **fields: str
) -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=at, **fields)


def file_complaints(*, feedback_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Each negative feedback about a known transaction opens a case against its official
    (or office, when no official is known), or joins that official's active case of the same
    kind. Feedback already in a case is left alone, and so is a classification the
    classifier was unsure of until a reviewer confirms it (a misread praise is a false
    accusation). Returns how many were filed."""
    now = now or timezone.now()
    pending = list(
        Feedback.objects.filter(
            ABOUT_AN_OFFICE,
            real_feedback(),
            pk__in=list(feedback_ids),
            category__in=COMPLAINTS,
            needs_review=False,
            case_evidence__isnull=True,
        )
        .select_related("transaction__office", "office")
        .order_by("pk")
    )
    filed: list[Feedback] = []

    def file_one(feedback: Feedback) -> None:
        if _file(feedback, now=now) is not None:
            filed.append(feedback)

    # Each complaint in its own transaction, as always: one that cannot be filed is
    # quarantined alone; the others are filed.
    quarantine.run_each(
        pipeline=Pipeline.COMPLAINTS, items=pending, process=file_one, key=lambda f: str(f.pk)
    )
    return len(filed)


def file_unfiled_complaints(*, now: dt.datetime | None = None, limit: int = 2000) -> int:
    """The sweep: complaints whose filing task was lost (those in quarantine wait until
    they are due)."""
    ids = (
        Feedback.objects.filter(
            ABOUT_AN_OFFICE,
            real_feedback(),
            category__in=COMPLAINTS,
            needs_review=False,
            case_evidence__isnull=True,
        )
        .exclude(pk__in=quarantine.held_ids(Pipeline.COMPLAINTS))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return file_complaints(feedback_ids=list(ids), now=now)


def _file(
    feedback: Feedback,
    *,
    now: dt.datetime,
    kind: str = "",
    opened_by: User | None = None,
    note: str = "",
) -> Case | None:
    kind = kind or feedback.category
    about = _about(feedback)
    for _attempt in range(3):  # another worker may open the same case at the same moment
        try:
            with transaction.atomic():
                case = _active_case(
                    kind=kind, office_id=about.office.pk, official_id=about.official_id
                )
                if case is None:
                    case = _open(kind, about, now=now, opened_by=opened_by, note=note)
                else:
                    case.complaints += 1
                    case.priority = priority_for(kind, case.complaints)
                    case.save(update_fields=["complaints", "priority"])
                    _event(case, CaseEvent.Kind.JOINED, actor=opened_by, at=now, note=note)
                Evidence.objects.create(case=case, feedback=feedback, added_at=now)
                return case
        except IntegrityError:
            if Evidence.objects.filter(feedback=feedback).exists():
                return None  # filed meanwhile
    raise RuntimeError(f"could not file feedback {feedback.pk}")


def _active_case(*, kind: str, office_id: int, official_id: int | None) -> Case | None:
    cases = Case.objects.select_for_update().filter(kind=kind, state__in=ACTIVE)
    if official_id is not None:
        cases = cases.filter(official_id=official_id)
    else:
        cases = cases.filter(office_id=office_id, official__isnull=True)
    return cases.order_by("opened_at").first()


@dataclass(frozen=True)
class About:
    """Whom a complaint is about: its transaction's office, official and service, or, for
    a walk-in's kiosk feedback, the kiosk's office and the service chosen."""

    office: Office
    official_id: int | None
    service_id: int | None


def _about(feedback: Feedback) -> About:
    tx = feedback.transaction
    if tx is not None:
        return About(tx.office, tx.official_id, tx.service_id)
    assert feedback.office is not None
    return About(feedback.office, None, feedback.service_id)


def _open(
    kind: str, about: About, *, now: dt.datetime, opened_by: User | None, note: str = ""
) -> Case:
    office = about.office
    route = route_for(office=office, kind=kind)
    owner = owner_at(level=route.level, office=office)
    case = Case.objects.create(
        kind=kind,
        office=office,
        official_id=about.official_id,
        service_id=about.service_id,
        priority=priority_for(kind, 1),
        level=route.level,
        owner=owner,
        opened_at=now,
        due_at=now + route.sla,
        opened_by=opened_by,
        complaints=1,
    )
    _event(case, CaseEvent.Kind.OPENED, actor=opened_by, at=now, to_state=State.OPEN, note=note)
    if owner is not None:
        _event(case, CaseEvent.Kind.ASSIGNED, at=now, to_state=route.level, note=owner.username)
    return case


def open_case_by_hand(
    *, feedback: Feedback, kind: str, actor: User, reason: str, correct: bool = False
) -> Case:
    """A reviewer files a feedback as a complaint of this kind, saying why. Feedback that
    is not already a complaint of this kind (a satisfied reply, say) is refused unless the
    reviewer corrects its category (`correct`): the correction is recorded (who, from what,
    to what, why) before the feedback becomes evidence. The case trail keeps who and why."""
    reason = reason.strip()
    if kind not in Kind.values:
        raise CaseError(_("Choose the kind of case."))
    if not reason:
        raise CaseError(_("Say why the case is opened."))
    if feedback.transaction_id is None and feedback.office_id is None:
        raise CaseError(_("This feedback is about no known transaction or office."))
    if not Feedback.objects.filter(real_feedback(), pk=feedback.pk).exists():
        raise CaseError(_("This feedback is a simulated citizen's: it is never evidence."))
    now = timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        existing = Evidence.objects.filter(feedback=feedback).select_related("case").first()
        if existing is not None:
            raise CaseError(
                _("This feedback is already a complaint in case #%(case)s.")
                % {"case": existing.case_id}
            )
        correction = None
        if feedback.category != kind:
            if not correct:
                raise CaseError(
                    _(
                        "This feedback is counted as “%(category)s”, not as a complaint of "
                        "%(kind)s: correct its category first."
                    )
                    % {"category": Category(feedback.category).label, "kind": Kind(kind).label}
                )
            from cfmp.feedback.services import correct_category

            correction = correct_category(
                feedback=feedback,
                by=actor,
                category=kind,
                reason=reason,
                via=FeedbackCorrection.Via.CASE_OPENING,
                now=now,
            )
            feedback.refresh_from_db()
        case = _file(feedback, now=now, kind=kind, opened_by=actor, note=reason)
        assert case is not None
        if correction is not None:
            _event(
                case,
                CaseEvent.Kind.CORRECTED,
                actor=actor,
                at=now,
                from_state=correction.from_category,
                to_state=correction.to_category,
                note=reason,
            )
        return case


def withdraw_evidence(*, correction: FeedbackCorrection) -> Case | None:
    """A complaint corrected to another category leaves the case of its old kind: the case
    counts one complaint fewer and its trail says who changed what, from what, and why."""
    evidence = (
        Evidence.objects.select_related("case").filter(feedback_id=correction.feedback_id).first()
    )
    if evidence is None or evidence.case.kind == correction.to_category:
        return None
    case = Case.objects.select_for_update().get(pk=evidence.case_id)
    evidence.delete()
    case.complaints = max(case.complaints - 1, 0)
    if case.complaints:
        case.priority = priority_for(case.kind, case.complaints)
    case.save(update_fields=["complaints", "priority"])
    _event(
        case,
        CaseEvent.Kind.WITHDRAWN,
        actor=correction.by,
        at=correction.at,
        from_state=correction.from_category,
        to_state=correction.to_category,
        note=correction.reason,
    )
    return case


def move_case(*, case: Case, actor: User, to_state: str, reason: str = "") -> Case:
    """One step of the state machine. Dismissing needs a reason; re-opening a closed or
    dismissed case starts its clock again at the level it ended on."""
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if to_state not in TRANSITIONS[State(case.state)]:
            raise CaseError(
                _("A case that is %(state)s cannot become %(to)s.")
                % {"state": State(case.state).label, "to": State(to_state).label}
            )
        if to_state == State.DISMISSED and not reason.strip():
            raise CaseError(_("Say why the case is unfounded."))
        _change_state(case, actor=actor, to_state=to_state, at=now, reason=reason)
        case.save()
        return case


def _change_state(
    case: Case, *, actor: User | None, to_state: str, at: dt.datetime, reason: str = ""
) -> None:
    """The one place a case's state changes (a person's move, or an action taken), with
    its event; the caller holds the case's row lock, checked the step against TRANSITIONS
    and saves the case."""
    from_state = case.state
    case.state = to_state
    if to_state in (State.CLOSED, State.DISMISSED):
        case.closed_at = at
        case.dismissal_reason = reason.strip() if to_state == State.DISMISSED else ""
    if to_state == State.OPEN:  # re-opened
        case.closed_at = None
        case.due_at = at + route_for(office=case.office, kind=case.kind).sla
    _event(
        case,
        CaseEvent.Kind.STATE,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=to_state,
        note=reason.strip(),
    )


def record_action(
    *,
    case: Case,
    author: User,
    kind: str,
    taken_on: dt.date,
    note: str = "",
    attachment: Any = None,
    attachment_audience: str = Audience.IDENTITY,
) -> Action:
    """An action on a case. Calling for an explanation puts the case under inquiry; any
    other action means action was taken. A sanction on a bribe case may tell the
    citizens who complained (CFMP_CLOSE_THE_LOOP), never naming the official or the action."""
    now = timezone.now()
    if kind not in Action.Kind.values:
        raise CaseError(_("Choose an action."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state in (State.CLOSED, State.DISMISSED):
            raise CaseError(
                _("The case is %(state)s: re-open it first.") % {"state": State(case.state).label}
            )
        action = Action.objects.create(
            case=case,
            kind=kind,
            taken_on=taken_on,
            author=author,
            note=note,
            attachment=attachment or "",
            attachment_audience=attachment_audience,
            created_at=now,
        )
        _event(case, CaseEvent.Kind.ACTION, actor=author, at=now, note=kind)
        to_state = (
            State.UNDER_INQUIRY if kind == Action.Kind.EXPLANATION_CALLED else State.ACTION_TAKEN
        )
        if case.state != to_state and to_state in TRANSITIONS[State(case.state)]:
            _change_state(case, actor=author, at=now, to_state=to_state)
        case.first_action_at = case.first_action_at or now
        case.save(update_fields=["state", "first_action_at"])
        if settings.CFMP_CLOSE_THE_LOOP and case.kind == Kind.BRIBE and kind in SANCTIONS:
            _thank_citizens(case, now=now)
        return action


def _thank_citizens(case: Case, *, now: dt.datetime) -> None:
    """Once per case: each citizen who complained, and has not opted out, gets one SMS."""
    from cfmp.outreach.models import OptOut

    if case.events.filter(kind=CaseEvent.Kind.CITIZEN_THANKED).exists():
        return
    mobiles = set()
    for evidence in case.evidence.select_related("feedback__survey", "feedback__message"):
        feedback = evidence.feedback
        mobile = feedback.survey.mobile if feedback.survey else ""
        mobiles.add(mobile or (feedback.message.sender if feedback.message else ""))
    opted_out = set(OptOut.objects.filter(mobile__in=mobiles).values_list("mobile", flat=True))
    to_thank = sorted(m for m in mobiles if m.startswith("+") and m not in opted_out)
    for mobile in to_thank:
        transaction.on_commit(functools.partial(_send_thanks, mobile))
    _event(case, CaseEvent.Kind.CITIZEN_THANKED, at=now, note=str(len(to_thank)))


def _send_thanks(mobile: str) -> None:
    from cfmp.outreach.tasks import send_service_message_task

    send_service_message_task.delay(mobile, THANK_YOU_SMS)


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Active cases past their due date go up one level (district → department →
    secretariat) with a new owner and a new due date; each overdue spell escalates once.
    Overdue at the secretariat, a case stays there, flagged by its date."""
    now = now or timezone.now()
    escalated = 0
    overdue = Case.objects.filter(state__in=ACTIVE, due_at__lt=now).exclude(level=Level.SECRETARIAT)
    for case_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(skip_locked=True)
                .filter(pk=case_id, state__in=ACTIVE, due_at__lt=now)
                .select_related("office")
                .first()
            )
            level = next_level(case.level) if case else None
            if case is None or level is None:
                continue
            owner = owner_at(level=level, office=case.office)
            from_level = case.level
            case.level, case.owner, case.escalated_at = level, owner, now
            case.due_at = now + route_for(office=case.office, kind=case.kind).sla
            case.save(update_fields=["level", "owner", "escalated_at", "due_at"])
            _event(
                case,
                CaseEvent.Kind.ESCALATED,
                at=now,
                from_state=from_level,
                to_state=level,
                note=owner.username if owner else "",
            )
            escalated += 1
    return escalated


def assign_unowned_cases(*, now: dt.datetime | None = None) -> int:
    """Active cases that waited for nobody go to whoever now holds their level (a district
    officer's account created since, say); the daily check. Returns how many."""
    now = now or timezone.now()
    assigned = 0
    unowned = Case.objects.filter(state__in=ACTIVE, owner__isnull=True).select_related("office")
    for case in unowned:
        owner = owner_at(level=case.level, office=case.office)
        if owner is None:
            continue
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, owner__isnull=True).update(owner=owner):
                _event(
                    case, CaseEvent.Kind.ASSIGNED, at=now, to_state=case.level, note=owner.username
                )
                assigned += 1
    return assigned


def record_evidence_view(*, case: Case, user: User) -> None:
    _event(case, CaseEvent.Kind.VIEWED, actor=user, at=timezone.now())
