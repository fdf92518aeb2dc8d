"""Reads of feedback, for the roles allowed to see it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cfmp.accounts.scopes import can_review_feedback, office_scope
from cfmp.feedback.classifier import Example
from cfmp.feedback.models import Feedback


def review_queue(user: Any) -> QuerySet[Feedback]:
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


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    """Feedback about transactions at the user's offices (unsolicited replies, about no
    transaction, only for the province-wide roles)."""
    return Feedback.objects.filter(office_scope(user, via="transaction__office"))
