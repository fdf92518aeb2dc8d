from celery import shared_task

from cfmp.reports import rollups


@shared_task(name="reports.refresh_rollups")
def refresh_rollups_task() -> int:
    return len(rollups.refresh_rollups())
