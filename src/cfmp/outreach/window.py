"""When citizens may be contacted: a daily window in local time (default 09:00–20:00,
Asia/Karachi), never on holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from cfmp.core.clock import local_zone
from cfmp.outreach.models import Holiday


def _time(text: str) -> dt.time:
    # "24:00" closes the window at midnight: open all day with "00:00-24:00".
    return dt.time.max if text.strip() == "24:00" else dt.time.fromisoformat(text.strip())


@dataclass(frozen=True)
class SendWindow:
    opens: dt.time
    closes: dt.time
    zone: dt.tzinfo
    holidays: frozenset[dt.date] = frozenset()

    @classmethod
    def current(cls) -> SendWindow:
        opens, closes = settings.CFMP_OUTREACH_WINDOW.split("-")
        return cls(
            opens=_time(opens),
            closes=_time(closes),
            zone=local_zone(),
            holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
        )

    def contains(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.zone)
        return local.date() not in self.holidays and self.opens <= local.time() < self.closes

    def next_open(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself if it is inside the window, else the next time the window opens."""
        local = moment.astimezone(self.zone)
        for _ in range(3 * 366):
            day = local.date()
            if day not in self.holidays:
                start = dt.datetime.combine(day, self.opens, tzinfo=self.zone)
                end = dt.datetime.combine(day, self.closes, tzinfo=self.zone)
                if local < start:
                    return start.astimezone(dt.UTC)
                if local < end:
                    return local.astimezone(dt.UTC)
            local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
        raise ValueError("no open sending window in the next three years (holidays?)")
