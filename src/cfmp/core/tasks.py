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
