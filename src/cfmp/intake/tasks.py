from celery import shared_task

from cfmp.intake import jobs


@shared_task(name="intake.run_import_job")
def run_import_job(job_id: str) -> None:
    jobs.run_import_job(job_id)
