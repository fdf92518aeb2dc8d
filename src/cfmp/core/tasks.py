import datetime as dt
import random

from celery import shared_task
from django.utils import timezone

from cfmp.core.demo import add_demo_transactions


@shared_task(name="core.demo_transactions")
def demo_transactions_task() -> int:
    """The demo's offices keep serving citizens (scheduled only with CFMP_DEMO=1)."""
    now = timezone.now()
    return add_demo_transactions(
        count=random.randint(1, 3), start=now - dt.timedelta(seconds=5), end=now
    )


@shared_task(name="core.forget_old_form_tokens")
def forget_old_form_tokens_task() -> int:
    """Spent form tokens older than a month are forgotten (issue 17)."""
    from cfmp.core.services import forget_old_tokens

    return forget_old_tokens()


@shared_task(name="core.replay_quarantined")
def replay_quarantined_task() -> int:
    """Quarantined items due again in the pipelines with no sweep of their own (issue 18):
    call results and kiosk visits from what was kept, alerts tested and digests sent again.
    (Replies, complaints and days are taken up by their own sweeps.) Returns how many
    landed. Each pipeline's app registers how (`quarantine.register_replayer`)."""
    from cfmp.core import quarantine

    return sum(
        len(quarantine.replay_due(pipeline, replay).done)
        for pipeline, replay in quarantine.replayers().items()
    )
