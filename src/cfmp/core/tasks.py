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
