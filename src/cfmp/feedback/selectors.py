"""Reads of feedback, for the roles allowed to see it."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cfmp.accounts.models import User
from cfmp.accounts.scopes import can_call_citizens, can_review_feedback, feedback_scope
from cfmp.feedback.classifier import Example
from cfmp.feedback.models import WALK_IN, CallRequest, CitizenCall, Feedback


def review_queue(user: User) -> QuerySet[Feedback]:
    """Uncertain classifications, oldest first, for reviewers only."""
    if not can_review_feedback(user):
        return Feedback.objects.none()
    return (
        Feedback.objects.filter(needs_review=True)
        .select_related("message", "transaction__service", "transaction__office")
        .order_by("created_at", "pk")
    )


def reviewed_examples() -> list[Example]:
    """Reviewers' verdicts on replies, as training examples."""
    rows = Feedback.objects.filter(reviewed_at__isnull=False, message__isnull=False)
    return [
        Example(text, category, "review")
        for text, category in rows.values_list("message__text", "category")
    ]


def feedback_visible_to(user: User) -> QuerySet[Feedback]:
    """Feedback about transactions at the user's offices, and given at their kiosks
    (unsolicited replies, about no transaction or office, only for the province-wide
    roles). Data-entry operators read none (`feedback_scope`)."""
    scope = feedback_scope(user, via="transaction__office")
    if scope:
        scope |= WALK_IN & feedback_scope(user, via="office")
    return Feedback.objects.filter(scope)


def call_queue_counts() -> dict[str, int]:
    """Citizens waiting for a call, by reason."""
    counts = dict.fromkeys(CallRequest.Reason.values, 0)
    waiting = CallRequest.objects.filter(state=CallRequest.State.WAITING).order_by()
    for reason, n in waiting.values("reason").annotate(n=Count("pk")).values_list("reason", "n"):
        counts[reason] = n
    return counts


def held_call(user: User, pk: int) -> QuerySet[CallRequest]:
    """The call request `pk`, if this agent is the one holding it."""
    if not can_call_citizens(user):
        return CallRequest.objects.none()
    return CallRequest.objects.filter(
        pk=pk, agent=user, state=CallRequest.State.IN_CALL
    ).select_related(
        "transaction__service",
        "transaction__office",
        "transaction__official",
        "about_feedback__message",
    )


def current_call(user: User) -> CallRequest | None:
    """The citizen this agent took and has not finished with."""
    return CallRequest.objects.filter(agent=user, state=CallRequest.State.IN_CALL).first()


def calls_made_by(user: User) -> QuerySet[CitizenCall]:
    return CitizenCall.objects.filter(logged_by=user, direct_caller="").order_by("-called_at")


def direct_calls_visible_to(user: User) -> QuerySet[CitizenCall]:
    """Senior officials' direct calls, with citizens' numbers: identity roles only."""
    if not can_call_citizens(user):
        return CitizenCall.objects.none()
    return (
        CitizenCall.objects.exclude(direct_caller="")
        .select_related("transaction__service", "transaction__office", "logged_by", "feedback")
        .order_by("-called_at")
    )
