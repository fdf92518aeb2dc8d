"""The command centre's figures: today, live, from the small window of today's raw rows
(each through an index on its timestamp), and the drill-down from province to district to
office to official to the masked feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cfmp.core.clock import day_bounds
from cfmp.feedback.anonymity import Row, rows_for
from cfmp.feedback.models import COMPLAINTS, WALK_IN, Feedback, real_feedback
from cfmp.intake.models import Transaction
from cfmp.outreach.models import ContactAttempt
from cfmp.reports.selectors import WITHHELD

# Each level and the one below it, with the lookup from a Feedback to it.
LEVELS = {
    "province": ("district", "transaction__office__district"),
    "district": ("office", "transaction__office"),
    "office": ("official", "transaction__official"),
}


@dataclass(frozen=True)
class Today:
    transactions: int
    contacts: int
    replies: int | str  # WITHHELD below the identity roles
    complaints: int | str
    bribes: int | str

    def withheld(self) -> Today:
        """Today's figures as readers below the identity roles see them: what citizens said
        today is not counted live (a count going from 0 to 1 would date a complaint; the
        reports give whole weeks once released); the services and contacts are."""
        return replace(self, replies=WITHHELD, complaints=WITHHELD, bribes=WITHHELD)


def today_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    return day_bounds(timezone.localdate(now or timezone.now()))


def _scope(level: str, key: int | None, prefix: str) -> Q:
    if level == "province" or key is None:
        return Q()
    path = {"district": "office__district_id", "office": "office_id", "official": "official_id"}
    return Q(**{f"{prefix}{path[level]}": key})


# A walk-in's kiosk feedback names its office itself (no transaction): its paths.
WALK_IN_LEVELS = {"province": "office__district", "district": "office"}


def _feedback_scope(level: str, key: int | None) -> Q:
    """Feedback within the level: about a transaction there, or given at a kiosk there."""
    if level == "official" or not _scope(level, key, ""):
        return _scope(level, key, "transaction__")  # one official, or everything
    return _scope(level, key, "transaction__") | (WALK_IN & _scope(level, key, ""))


def today(*, level: str = "province", key: int | None = None) -> Today:
    start, end = today_window()
    feedback = Feedback.objects.filter(
        _feedback_scope(level, key), real_feedback(), created_at__gte=start, created_at__lt=end
    )
    counts = feedback.aggregate(
        replies=Count("pk"),
        complaints=Count("pk", filter=Q(category__in=COMPLAINTS)),
        bribes=Count("pk", filter=Q(category="bribe")),
    )
    return Today(
        transactions=Transaction.objects.filter(
            _scope(level, key, ""), created_at__gte=start, created_at__lt=end
        ).count(),
        contacts=ContactAttempt.objects.filter(
            _scope(level, key, "survey__transaction__"),
            submitted_at__gte=start,
            submitted_at__lt=end,
        ).count(),
        **counts,
    )


def breakdown(*, level: str = "province", key: int | None = None) -> list[dict[str, Any]]:
    """Today's replies and complaints one level down (districts of the province, offices of
    a district, officials of an office), most complaints first."""
    below, path = LEVELS[level]
    start, end = today_window()
    today_feedback = Feedback.objects.filter(
        real_feedback(), created_at__gte=start, created_at__lt=end
    )
    groups = [(today_feedback.filter(_scope(level, key, "transaction__")), path)]
    if level in WALK_IN_LEVELS:
        walk_ins = today_feedback.filter(WALK_IN)
        groups.append((walk_ins.filter(_scope(level, key, "")), WALK_IN_LEVELS[level]))
    found: dict[int, dict[str, Any]] = {}
    for feedback, via in groups:
        rows = (
            feedback.filter(**{f"{via}__isnull": False})
            .values(f"{via}_id", f"{via}__name")
            .annotate(
                replies=Count("pk"),
                complaints=Count("pk", filter=Q(category__in=COMPLAINTS)),
                bribes=Count("pk", filter=Q(category="bribe")),
            )
            .order_by()
        )
        for row in rows:
            into = found.setdefault(
                row[f"{via}_id"],
                {"level": below, "key": row[f"{via}_id"], "name": row[f"{via}__name"],
                 "replies": 0, "complaints": 0, "bribes": 0},
            )  # fmt: skip
            for counter in ("replies", "complaints", "bribes"):
                into[counter] += row[counter]
    return sorted(found.values(), key=lambda row: (-row["complaints"], -row["replies"]))


def breakdown_withheld(*, level: str = "province", key: int | None = None) -> list[dict[str, Any]]:
    """The level below, for readers below the identity roles: every district, office or
    official there, by name, whether or not anyone replied today (which ones appear, and in
    what order, must not tell), their counts withheld."""
    from cfmp.registry.models import District, Office, Official

    below, _ = LEVELS[level]
    if below == "district" or key is None:
        rows: QuerySet = District._default_manager.all()
    elif below == "office":
        rows = Office._default_manager.filter(district_id=key)
    else:
        rows = Official._default_manager.filter(office_id=key)
    return [
        {"level": below, "key": pk, "name": name, "replies": WITHHELD, "complaints": WITHHELD,
         "bribes": WITHHELD}
        for pk, name in rows.order_by("name").values_list("pk", "name")[:500]
    ]  # fmt: skip


def latest_complaints(
    *, user: Any, level: str = "province", key: int | None = None, limit: int = 10
) -> list[Row]:
    """The newest complaints, masked: what was said, never who said it; below the identity
    roles as `cfmp.feedback.anonymity` allows (held ones not listed)."""
    rows = (
        Feedback.objects.filter(
            _feedback_scope(level, key), real_feedback(), category__in=COMPLAINTS
        )
        .select_related(
            "message",
            "transaction__office",
            "transaction__official",
            "transaction__service",
            "office",
            "service",
        )
        .order_by("-created_at")[:limit]
    )
    return rows_for(list(rows), user=user, masked=True)


def name_of(level: str, key: int | None) -> str:
    from cfmp.registry.models import District, Office, Official

    if level == "province" or key is None:
        return str(_("Punjab"))
    models: dict[str, type[District] | type[Office] | type[Official]] = {
        "district": District,
        "office": Office,
        "official": Official,
    }
    model = models[level]
    found = model._default_manager.filter(pk=key).only("name", "name_ur").first()
    return found.shown_name if found else "?"  # in Urdu on Urdu pages (registry.Named)
