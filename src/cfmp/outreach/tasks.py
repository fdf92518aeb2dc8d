from celery import shared_task

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


@shared_task(name="outreach.simulated_report")
def simulated_report_task(attempt_id: int) -> bool:
    return dispatch.apply_simulated_report(attempt_id)


@shared_task(
    name="outreach.record_call_result",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=12,
)
def record_call_result_task(
    attempt_id: int, outcome: str, digit: str = "", seconds: float | None = None, detail: str = ""
) -> bool:
    from cfmp.outreach.voice.results import record_call_result

    return record_call_result(
        attempt_id=attempt_id, outcome=outcome, digit=digit, seconds=seconds, detail=detail
    )
