from celery import shared_task

from cfmp.kiosk import monitoring


@shared_task(name="kiosk.watch")
def watch_kiosks_task() -> int:
    """Offline kiosks every few minutes; praise gaps too (cheap: a few queries a kiosk)."""
    return len(monitoring.detect_offline_kiosks()) + len(monitoring.detect_praise_gaps())


@shared_task(name="kiosk.replay_visits")
def replay_visits_task() -> int:
    """Quarantined visits due again (the secretariat's "Try again now" among them),
    recorded from their kept fields."""
    from cfmp.core import quarantine
    from cfmp.core.models import Pipeline
    from cfmp.kiosk.api import replay_visit

    return len(quarantine.replay_due(Pipeline.KIOSK_VISITS, replay_visit).done)
