"""WhatsApp's 24-hour customer-service window: a business may send free-form messages (text,
interactive buttons) to someone only within 24 hours of their last message to it; outside,
only an approved template. CFMP knows when each citizen last wrote on WhatsApp from the
inbound messages it stored."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cfmp.feedback.models import InboundMessage

WINDOW = dt.timedelta(hours=24)
# A message sent in the window's last minutes may reach Meta after it closed: counted shut.
MARGIN = dt.timedelta(minutes=10)


def window_open(*, gateway: str, mobile: str, now: dt.datetime | None = None) -> bool:
    """Whether free-form messages may go to this number now."""
    now = now or timezone.now()
    return InboundMessage.objects.filter(
        gateway=gateway, sender=mobile, received_at__gt=now - WINDOW + MARGIN
    ).exists()
