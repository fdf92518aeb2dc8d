from celery import shared_task

from cfmp.feedback import callcentre, services


@shared_task(name="feedback.classify_message")
def classify_message_task(message_id: int) -> str | None:
    feedback = services.classify_message(message_id=message_id)
    return feedback.category if feedback else None


@shared_task(name="feedback.classify_messages")
def classify_messages_task(message_ids: list[int]) -> int:
    return services.classify_messages(message_ids=message_ids, with_backlog=True)


@shared_task(name="feedback.classify_pending")
def classify_pending_task() -> int:
    return services.classify_pending()


@shared_task(name="feedback.queue_manual_calls")
def queue_manual_calls_task() -> int:
    return callcentre.queue_manual_calls()


@shared_task(name="feedback.keypad_answer")
def keypad_answer_task(attempt_id: int, digit: str) -> bool:
    return callcentre.record_keypad_answer(attempt_id=attempt_id, digit=digit) is not None
