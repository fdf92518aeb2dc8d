from celery import shared_task

from cfmp.reports import alerts, digests, rollups


@shared_task(name="reports.refresh_rollups")
def refresh_rollups_task() -> int:
    return len(rollups.refresh_rollups())


@shared_task(name="reports.detect_alerts")
def detect_alerts_task() -> int:
    return len(alerts.detect_alerts())


@shared_task(name="reports.send_digests")
def send_digests_task(weekly: bool = False) -> int:
    return digests.send_report_digests(weekly=weekly)
