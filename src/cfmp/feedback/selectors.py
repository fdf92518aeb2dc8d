"""Reads of feedback, for the roles allowed to see it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cfmp.accounts.scopes import can_review_feedback
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
