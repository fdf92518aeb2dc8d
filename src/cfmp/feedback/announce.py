"""What feedback tells the apps after it (cases, reports), as events (`cfmp.core.events`):
feedback never imports them. Cases subscribes: a complaint becomes a case, a corrected one
leaves its case."""

from __future__ import annotations

from typing import Any

from cfmp.core import events


def recorded(feedback_ids: list[int]) -> None:
    """Feedback was recorded or re-categorised: once this transaction commits, whoever
    listens acts on it (cases files complaints; its sweep files any whose task is lost;
    feedback that is no complaint is ignored there)."""
    if feedback_ids:
        events.publish(events.FEEDBACK_RECORDED, feedback_ids=feedback_ids)


def corrected(correction: Any) -> None:
    """A person corrected a feedback's category: acted on in the same transaction as the
    correction, so a complaint corrected away never stays evidence in its old case."""
    events.publish_in_transaction(events.FEEDBACK_CORRECTED, correction=correction)
