from celery import shared_task

from cfmp.feedback import services


@shared_task(name="feedback.simulated_reply")
def simulated_reply_task(attempt_id: int) -> bool:
    return services.receive_simulated_reply(attempt_id=attempt_id)


@shared_task(name="feedback.classify_message")
def classify_message_task(message_id: int) -> str | None:
    feedback = services.classify_message(message_id=message_id)
    return feedback.category if feedback else None


@shared_task(name="feedback.classify_pending")
def classify_pending_task() -> int:
    return services.classify_pending()
