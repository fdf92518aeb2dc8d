from celery import shared_task

from cfmp.feedback import callcentre, services


@shared_task(name="feedback.classify_messages")
def classify_messages_task(message_ids: list[int]) -> int:
    return services.classify_messages(message_ids=message_ids, with_backlog=True)


@shared_task(name="feedback.classify_pending")
def classify_pending_task() -> int:
    return services.classify_pending()


@shared_task(name="feedback.queue_manual_calls")
def queue_manual_calls_task() -> int:
    return callcentre.queue_manual_calls()
