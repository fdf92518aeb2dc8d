from celery import shared_task

from cfmp.channels.simulator import reactions


@shared_task(name="channels.simulator.report")
def simulated_report_task(attempt_id: int) -> bool:
    return reactions.apply_simulated_report(attempt_id)


@shared_task(name="channels.simulator.reply")
def simulated_reply_task(attempt_id: int) -> bool:
    return reactions.receive_simulated_reply(attempt_id=attempt_id)
