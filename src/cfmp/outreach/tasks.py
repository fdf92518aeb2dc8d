from typing import Any

from celery import shared_task

from cfmp.core.bounds import OutOfBounds
from cfmp.outreach import dispatch, services


@shared_task(name="outreach.plan_surveys")
def plan_surveys_task() -> dict[str, int]:
    return dict(services.plan_surveys())


@shared_task(name="outreach.queue_due_attempts")
def queue_due_attempts_task() -> int:
    return len(dispatch.queue_due_attempts())


@shared_task(name="outreach.send_attempts")
def send_attempts_task(attempt_ids: list[int]) -> dict[int, str]:
    return dispatch.send_attempts(attempt_ids)


@shared_task(name="outreach.recover_attempts")
def recover_attempts_task() -> dict[str, int]:
    return dispatch.recover_attempts()


@shared_task(name="outreach.expire_attempts")
def expire_attempts_task() -> int:
    return dispatch.expire_attempts()


@shared_task(name="outreach.send_service_message")
def send_service_message_task(to: str, text: str) -> bool:
    return dispatch.send_service_message(to=to, text=text)


@shared_task(
    name="outreach.record_call_result",
    bind=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(OutOfBounds,),
    retry_backoff=True,
    max_retries=12,
)
def record_call_result_task(
    self,
    attempt_id: int,
    outcome: str,
    digit: str = "",
    seconds: float | None = None,
    detail: str = "",
) -> bool:
    """A call's end, retried with backoff; a result that cannot be recorded (a value out of
    bounds, or failing after the last retry) is quarantined with what the phone reported,
    for the secretariat, never dropped silently (issue 18)."""
    from cfmp.core import quarantine
    from cfmp.core.models import Pipeline
    from cfmp.outreach.voice.results import record_call_result

    fields: dict[str, Any] = {"outcome": outcome, "digit": digit, "seconds": seconds,
                              "detail": detail}  # fmt: skip
    try:
        done = record_call_result(attempt_id=attempt_id, **fields)
    except Exception as problem:
        refused = isinstance(problem, OutOfBounds)
        if refused or self.request.retries >= self.max_retries:
            quarantine.record_failure(
                pipeline=Pipeline.CALL_RESULTS, item=str(attempt_id),
                error=f"{type(problem).__name__}: {problem}", payload=fields, final=refused,
            )  # fmt: skip
        raise
    quarantine.release(Pipeline.CALL_RESULTS, [str(attempt_id)])
    return done
