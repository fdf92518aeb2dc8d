from celery import shared_task

from cfmp.cases import digests, services


@shared_task(name="cases.file_complaints")
def file_complaints_task(feedback_ids: list[int]) -> int:
    return services.file_complaints(feedback_ids=feedback_ids)


@shared_task(name="cases.file_unfiled_complaints")
def file_unfiled_complaints_task() -> int:
    return services.file_unfiled_complaints()


@shared_task(name="cases.escalate_overdue")
def escalate_overdue_task() -> int:
    return services.escalate_overdue()


@shared_task(name="cases.send_digests")
def send_digests_task() -> int:
    return digests.send_case_digests()
