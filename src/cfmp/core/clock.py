"""Time, in one place: the local zone (Asia/Karachi unless CFMP_TIME_ZONE says otherwise),
a local day's and month's bounds, and the demo's fast clock (CFMP_TIME_SCALE). Datetimes are
stored in UTC and shown in the local zone; whatever needs "today", "this month" or a plan's
delay asks here."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings


def local_zone() -> zoneinfo.ZoneInfo:
    """The zone days, months and the outreach window are counted in."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a local day starts and ends (aware; compare with UTC freely)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())
    return start, start + dt.timedelta(days=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def scaled(delay: dt.timedelta) -> dt.timedelta:
    """A plan's delay on the clock in use: the demo compresses days into seconds
    (CFMP_TIME_SCALE; 1 in real use)."""
    return delay / settings.CFMP_TIME_SCALE


def demo_clock_runs_fast() -> bool:
    """Whether days pass in seconds (the demo's CFMP_TIME_SCALE)."""
    return bool(settings.CFMP_TIME_SCALE != 1)
