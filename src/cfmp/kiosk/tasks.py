from celery import shared_task

from cfmp.kiosk import monitoring


@shared_task(name="kiosk.watch")
def watch_kiosks_task() -> int:
    """Offline kiosks every few minutes; praise gaps too (cheap: a few queries a kiosk)."""
    return len(monitoring.detect_offline_kiosks()) + len(monitoring.detect_praise_gaps())
