"""A robocall's end that cannot be recorded is kept in quarantine with what the phone
reported, never dropped (issue 18); absurd values are refused by name."""

import pytest

from cfmp.core.bounds import OutOfBounds
from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.outreach.tasks import record_call_result_task
from cfmp.outreach.voice.results import record_call_result
from tests.outreach.support import submitted_voice_attempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "exploded"}, "outcome"),
        ({"outcome": "answered", "digit": "²"}, "digit"),
        ({"outcome": "answered", "seconds": 1e30}, "seconds"),
        ({"outcome": "answered", "seconds": float("nan")}, "seconds"),
        ({"outcome": "answered", "seconds": float("inf")}, "seconds"),
        ({"outcome": "answered", "seconds": -1}, "seconds"),
    ],
)
def test_absurd_call_results_are_refused_by_name_and_change_nothing(
    world, monkeypatch, fields, field
):
    attempt = submitted_voice_attempt(monkeypatch)
    with pytest.raises(OutOfBounds) as refused:
        record_call_result(attempt_id=attempt.pk, **fields)
    assert refused.value.field == field
    attempt.refresh_from_db()
    assert attempt.call_outcome == "" and attempt.state == "submitted"


def test_a_result_the_task_cannot_record_is_quarantined_with_what_was_reported(world, monkeypatch):
    attempt = submitted_voice_attempt(monkeypatch)
    with pytest.raises(OutOfBounds):  # tests run tasks eagerly, propagating their errors
        record_call_result_task.apply(
            kwargs={"attempt_id": attempt.pk, "outcome": "answered", "seconds": float("nan")}
        )
    kept = QuarantinedItem.objects.get()
    assert (kept.pipeline, kept.item) == (Pipeline.CALL_RESULTS, str(attempt.pk))
    assert kept.payload["seconds"] == "nan" and "seconds" in kept.error  # JSON has no NaN
    assert kept.state == "failed"  # no retry makes a refused value right
    # Reported again, right: recorded, and out of quarantine.
    assert record_call_result_task.apply(
        kwargs={"attempt_id": attempt.pk, "outcome": "answered", "seconds": 12.0}
    ).result
    assert not QuarantinedItem.objects.exists()


def test_a_result_kept_after_the_last_retry_is_replayed_when_due(world, monkeypatch):
    from django.utils import timezone

    from cfmp.core.quarantine import record_failure
    from cfmp.core.tasks import replay_quarantined_task

    attempt = submitted_voice_attempt(monkeypatch)
    # What the task keeps when the database was away for all its retries.
    record_failure(
        pipeline=Pipeline.CALL_RESULTS, item=str(attempt.pk), error="OperationalError: gone",
        payload={"outcome": "answered", "digit": "2", "seconds": 14.5, "detail": ""},
    )  # fmt: skip
    assert replay_quarantined_task.apply().result == 0  # not due yet
    QuarantinedItem.objects.update(next_try_at=timezone.now())
    assert replay_quarantined_task.apply().result == 1
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_digit, attempt.call_seconds) == ("delivered", "2", 14.5)
    assert not QuarantinedItem.objects.exists()
