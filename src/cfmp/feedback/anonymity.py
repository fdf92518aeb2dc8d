"""What a reader below the identity roles may learn of a complaint, so that its author stays
one of at least k citizens (`CFMP_ANONYMITY_K`) to anyone who knows the office's register:
who was served, when, for what service, by whom (docs/privacy.md).

Every page, export and report that shows single complaints reads them through `generalise`;
nothing else decides how precisely a complaint is shown. For each complaint:

- its time (the reply's, or the kiosk visit's) is shown as the finest period, minute → hour →
  day → week → month (Asia/Karachi), in which at least k of the office's transactions
  happened; when even the month has fewer, no time is shown and the complaint is held;
- the official is shown only where at least k of that period's transactions were theirs,
  the service only where at least k were of that service (with the official, when shown);
  a complaint that is evidence in a case against an official keeps that official (the case
  pages name them), its period chosen among that official's transactions instead;
- the citizen's words are shown (masked) only when the office's day had at least k
  transactions and the service is shown; otherwise the category and amount only;
- a complaint is held, not listed at all, until its period has ended: when it appears tells
  nothing finer than the period it shows (a page refreshed every minute would otherwise
  date a reply to the minute).

Counts read the transactions' time of service (`occurred_at`), so a period with k
transactions holds k citizens the reader cannot tell apart. Each page reads its offices'
registers in at most three queries, whatever the number of complaints."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

GRAINS = ("minute", "hour", "day", "week", "month")
# The coarsest grain at which the citizen's own words may still be shown.
WORDS_UP_TO = "day"


def anonymity_k() -> int:
    return int(getattr(settings, "CFMP_ANONYMITY_K", 5))


def applies_to(user: Any) -> bool:
    """Whether this reader sees complaints generalised: below the identity roles, while the
    guarantee is on (k > 1)."""
    from cfmp.accounts.scopes import sees_complaints_generalised

    return sees_complaints_generalised(user) and anonymity_k() > 1


@dataclass(frozen=True)
class Period:
    grain: str
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        start = timezone.localtime(self.start)
        if self.grain == "minute":
            return f"{start:%Y-%m-%d %H:%M}"
        if self.grain == "hour":
            return f"{start:%Y-%m-%d %H}:00–{timezone.localtime(self.end):%H}:00"
        if self.grain == "day":
            return f"{start:%Y-%m-%d}"
        if self.grain == "week":
            return _("week of %(monday)s") % {"monday": f"{start:%Y-%m-%d}"}
        return f"{start:%Y-%m}"

    def shifted(self, by: dt.timedelta) -> Period:
        return Period(self.grain, self.start + by, self.end + by)


def period_of(moment: dt.datetime, grain: str) -> Period:
    """The period of this grain holding the moment, in local time."""
    local = timezone.localtime(moment)
    if grain == "minute":
        start = local.replace(second=0, microsecond=0)
        return Period(grain, start, start + dt.timedelta(minutes=1))
    if grain == "hour":
        start = local.replace(minute=0, second=0, microsecond=0)
        return Period(grain, start, start + dt.timedelta(hours=1))
    day = local.date()
    if grain == "day":
        return Period(grain, _midnight(day), _midnight(day + dt.timedelta(days=1)))
    if grain == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return Period(grain, _midnight(monday), _midnight(monday + dt.timedelta(days=7)))
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(grain, _midnight(first), _midnight(following))


def _midnight(day: dt.date) -> dt.datetime:
    # A local midnight made aware in the current zone (DST-safe for Asia/Karachi and others).
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def coarser(a: str, b: str) -> str:
    return a if GRAINS.index(a) >= GRAINS.index(b) else b


@dataclass(frozen=True)
class Shown:
    """How one complaint may be shown to one reader. `period` None: held (not listed)."""

    period: Period | None
    held_until: dt.datetime | None
    service: bool
    official: bool
    words: bool

    @property
    def held(self) -> bool:
        return self.held_until is not None


class Register:
    """The offices' transactions (time of service, service, official), sorted by time, as
    their office heads know them."""

    def __init__(self) -> None:
        self._rows: dict[int, list[tuple[dt.datetime, int, int | None]]] = defaultdict(list)
        self._read: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        self._seen: set[int] = set()  # a week read after its day: each transaction once

    def read(self, windows: dict[int, set[Period]]) -> None:
        """Read the transactions of each office within its periods not read yet (one query)."""
        from cfmp.intake.models import Transaction

        wanted = Q(pk__in=[])
        for office_id, periods in windows.items():
            for period in periods:
                if not self._covers(office_id, period):
                    wanted |= Q(office_id=office_id, occurred_at__gte=period.start,
                                occurred_at__lt=period.end)  # fmt: skip
                    self._read[office_id].append((period.start, period.end))
        if wanted == Q(pk__in=[]):
            return
        rows = Transaction.objects.filter(wanted).values_list(
            "pk", "office_id", "occurred_at", "service_id", "official_id"
        )
        for pk, office_id, at, service_id, official_id in rows:
            if pk not in self._seen:
                self._seen.add(pk)
                self._rows[office_id].append((at, service_id, official_id))
        for listed in self._rows.values():
            listed.sort(key=lambda row: row[0])

    def _covers(self, office_id: int, period: Period) -> bool:
        return any(s <= period.start and period.end <= e for s, e in self._read[office_id])

    def count(
        self,
        office_id: int,
        period: Period,
        *,
        service_id: int | None = None,
        official_id: int | None = None,
    ) -> int:
        rows = self._rows.get(office_id, [])
        first = bisect_left(rows, period.start, key=lambda row: row[0])
        last = bisect_left(rows, period.end, key=lambda row: row[0])
        return sum(
            1
            for _, service, official in rows[first:last]
            if (service_id is None or service == service_id)
            and (official_id is None or official == official_id)
        )


@dataclass(frozen=True)
class About:
    """What a complaint is about, as the rule reads it."""

    moment: dt.datetime
    office_id: int | None
    service_id: int | None
    official_id: int | None
    # The official a case page names beside this complaint: always shown.
    named_official: bool = False


def about(feedback: Any, *, named_official: bool = False) -> About:
    tx = feedback.transaction
    return About(
        moment=feedback.created_at,
        office_id=tx.office_id if tx else feedback.office_id,
        service_id=tx.service_id if tx else feedback.service_id,
        official_id=tx.official_id if tx else None,
        named_official=named_official,
    )


WHOLE = Shown(period=None, held_until=None, service=True, official=True, words=True)


def exact(moment: dt.datetime) -> Shown:
    """For the identity roles, and where the guarantee is off (k ≤ 1): everything."""
    return Shown(period_of(moment, "minute"), None, service=True, official=True, words=True)


def generalise_all(items: list[About], *, now: dt.datetime | None = None) -> list[Shown]:
    """The rule (see the module) for many complaints, reading their offices' registers in
    at most three queries."""
    now = now or timezone.now()
    k = anonymity_k()
    if k <= 1:
        return [exact(item.moment) for item in items]
    register = Register()
    # The day first (minute, hour and day are within it), the week and month only for the
    # complaints of quiet offices that need them.
    _read(register, items, "day")
    _read(register, [i for i in items if _count_at(register, i, "day") < k], "week")
    _read(register, [i for i in items if _count_at(register, i, "week") < k], "month")
    return [_shown(register, item, k=k, now=now) for item in items]


def _read(register: Register, items: Iterable[About], grain: str) -> None:
    windows: dict[int, set[Period]] = defaultdict(set)
    for item in items:
        if item.office_id is not None:
            windows[item.office_id].add(period_of(item.moment, grain))
    register.read(windows)


def _fixed_official(item: About) -> int | None:
    return item.official_id if item.named_official else None


def _count_at(register: Register, item: About, grain: str) -> int:
    if item.office_id is None:
        return 0
    period = period_of(item.moment, grain)
    return register.count(item.office_id, period, official_id=_fixed_official(item))


def _shown(register: Register, item: About, *, k: int, now: dt.datetime) -> Shown:
    if item.office_id is None:  # an unsolicited reply: about nobody's office; nothing to link
        return _held_until(period_of(now, "month").end)
    period = next(
        (period_of(item.moment, g) for g in GRAINS if _count_at(register, item, g) >= k), None
    )
    if period is None:  # a month of fewer than k: held while the office stays that quiet
        return _held_until(period_of(now, "month").end)
    if period.end > now:
        return _held_until(period.end)
    official = item.named_official or (
        item.official_id is not None
        and register.count(item.office_id, period, official_id=item.official_id) >= k
    )
    by = item.official_id if official else None
    service = register.count(item.office_id, period, service_id=item.service_id,
                             official_id=by) >= k  # fmt: skip
    words = (
        service
        and GRAINS.index(period.grain) <= GRAINS.index(WORDS_UP_TO)
        and register.count(item.office_id, period_of(item.moment, "day")) >= k
    )
    return Shown(period, None, service=service, official=official, words=words)


def _held_until(until: dt.datetime) -> Shown:
    return Shown(None, until, service=False, official=False, words=False)


# Which of these complaints are evidence in a case against a named official: cases knows,
# and registers the answer in its ready() (feedback comes before cases in the flow).
def _none_named(feedback_ids: list[int]) -> set[int]:
    return set()


_named_official_lookup: Callable[[list[int]], set[int]] = _none_named


def register_named_official_lookup(lookup: Callable[[list[int]], set[int]]) -> None:
    global _named_official_lookup
    _named_official_lookup = lookup


def generalise(feedbacks: list[Any], *, user: Any, now: dt.datetime | None = None) -> list[Shown]:
    """How each of these complaints may be shown to this reader. Complaints that are
    evidence in a case against an official keep that official (one query for them)."""
    from cfmp.accounts.scopes import sees_complaints_generalised

    if not sees_complaints_generalised(user):
        return [exact(feedback.created_at) for feedback in feedbacks]
    named = _named_official_lookup([f.pk for f in feedbacks])
    items = [about(feedback, named_official=feedback.pk in named) for feedback in feedbacks]
    return generalise_all(items, now=now)


def held_notice() -> str:
    """The page's words for what is not listed yet (the same on every page: how many are
    held, and since when, would itself date them)."""
    k = anonymity_k()
    if k <= 1:
        return ""
    return _(
        "A complaint is listed once its period has ended and at least %(k)s citizens of its "
        "office share the time shown: the newest are held until then (at the latest until "
        "the end of its month)."
    ) % {"k": k}


@dataclass(frozen=True)
class Row:
    """One complaint as a page, export or the API shows it to one reader."""

    feedback: Any
    period: Period
    service: str
    official: str
    office: str
    text: str  # "" when withheld (`withheld`) or when nothing was said

    withheld: bool = False


def rows_for(
    feedbacks: list[Any], *, user: Any, now: dt.datetime | None = None, masked: bool = False
) -> list[Row]:
    """The complaints this reader may see listed, each as they may see it: held ones left
    out, the rest generalised (`generalise`) and their words masked below the identity
    roles (`cfmp.feedback.privacy`). Feedbacks come with their transaction's service,
    office and official, and their own office and service, selected."""
    from cfmp.accounts.scopes import sees_complaints_generalised
    from cfmp.feedback.privacy import masked_texts

    if masked or sees_complaints_generalised(user):  # `masked`: a wall screen, for everyone
        texts = masked_texts(feedbacks)
    else:
        texts = [(f.message.text if f.message else f.note) or "" for f in feedbacks]
    rows = []
    for feedback, shown, text in zip(feedbacks, generalise(feedbacks, user=user, now=now),
                                     texts, strict=True):  # fmt: skip
        if shown.period is None:
            continue
        rows.append(_row(feedback, shown, text))
    return rows


def _row(feedback: Any, shown: Shown, text: str) -> Row:
    assert shown.period is not None
    tx = feedback.transaction
    office = tx.office if tx else feedback.office
    service = tx.service if tx else feedback.service
    official = tx.official if tx else None
    generic_service, generic_official = (
        _("a service of this office"),
        _("an official of this office"),
    )
    return Row(
        feedback=feedback,
        period=shown.period,
        service=_name(service) if shown.service else generic_service,
        official=_name(official) if shown.official or official is None else generic_official,
        office=_name(office),
        text=text if shown.words else "",
        withheld=not shown.words and bool(text),
    )


def _name(item: Any) -> str:
    return item.shown_name if item is not None else "—"
