from celery import shared_task

from cfmp.feedback import services


@shared_task(name="feedback.simulated_reply")
def simulated_reply_task(attempt_id: int) -> bool:
    return services.receive_simulated_reply(attempt_id=attempt_id)
