"""What cases does when feedback tells of something (`cfmp.core.events`)."""

from __future__ import annotations

from typing import Any

from cfmp.core import events


def file_complaints_later(*, feedback_ids: list[int]) -> None:
    """A task files them (`services.file_complaints`); the periodic sweep
    (`file_unfiled_complaints`) files any whose task is lost."""
    from cfmp.cases.tasks import file_complaints_task

    file_complaints_task.delay(feedback_ids)


def withdraw_corrected_evidence(*, correction: Any) -> None:
    from cfmp.cases.services import withdraw_evidence

    withdraw_evidence(correction=correction)


def subscribe() -> None:
    events.subscribe(events.FEEDBACK_RECORDED, file_complaints_later)
    events.subscribe(events.FEEDBACK_CORRECTED, withdraw_corrected_evidence)
