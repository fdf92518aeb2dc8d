"""Handing complaints over to the cases app."""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction


def file_complaints_later(feedback_ids: list[int]) -> None:
    """Complaints become cases (`cases.services.file_complaints`) once this transaction
    commits; the cases app's periodic sweep files any whose task is lost. Feedback that is
    no complaint is ignored there."""
    from cfmp.cases.tasks import file_complaints_task

    if feedback_ids:
        transaction.on_commit(functools.partial(file_complaints_task.delay, feedback_ids))


def withdraw_if_corrected(correction: Any) -> None:
    """A corrected feedback that is evidence in a case of another kind leaves that case,
    in the same transaction as the correction (`cases.services.withdraw_evidence`)."""
    from cfmp.cases.services import withdraw_evidence

    withdraw_evidence(correction=correction)
