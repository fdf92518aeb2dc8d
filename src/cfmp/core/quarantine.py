"""Failure isolation for background pipelines (issue 18).

`run_isolated` processes a batch in one transaction; if it fails, the batch is split in
halves and each half tried again, down to single items, so every good item lands and each
bad one is found. A bad item is quarantined (`QuarantinedItem`: its error, its attempts,
when to try again) and its pipeline's sweeps skip it (`held`) until it is due; after
`CFMP_QUARANTINE_MAX_ATTEMPTS` failures it stays failed with its reason, for the secretariat
to see in the admin. An item processed at last leaves quarantine."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cfmp.core.models import Pipeline, QuarantinedItem

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_ERROR = 2000


@dataclass
class Isolated(Generic[T]):
    done: list[T] = field(default_factory=list)
    failed: list[T] = field(default_factory=list)


def _describe(problem: BaseException) -> str:
    return f"{type(problem).__name__}: {problem}"[:MAX_ERROR]


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failures: doubling, at most a day."""
    seconds = settings.CFMP_QUARANTINE_BACKOFF_SECONDS * 2 ** min(attempts - 1, 16)
    return dt.timedelta(seconds=min(seconds, 86_400))


def _storable(value: Any) -> Any:
    """A payload any database's JSON column takes: no NaN or infinity, text for the rest."""
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record_failure(
    *,
    pipeline: str,
    item: str,
    error: str,
    payload: Any = None,
    now: dt.datetime | None = None,
    final: bool = False,
) -> QuarantinedItem:
    """One more failure of `item`: quarantined, or its attempts counted; failed for good
    at the limit, or at once when `final` (a value no retry can make right)."""
    now = now or timezone.now()
    payload = _storable(payload)
    with transaction.atomic():
        row, created = QuarantinedItem.objects.select_for_update().get_or_create(
            pipeline=pipeline,
            item=item,
            defaults={
                "error": error[:MAX_ERROR],
                "payload": payload,
                "first_failed_at": now,
                "last_failed_at": now,
                "next_try_at": now + backoff(1),
            },
        )
        if not created:
            row.attempts += 1
            row.error = error[:MAX_ERROR]
            row.last_failed_at = now
            if payload is not None:
                row.payload = payload
            row.next_try_at = now + backoff(row.attempts)
        if final or row.attempts >= settings.CFMP_QUARANTINE_MAX_ATTEMPTS:
            row.state = QuarantinedItem.State.FAILED
            row.next_try_at = None
        if not created or row.state == QuarantinedItem.State.FAILED:
            row.save()
    logger.warning("%s: item %s quarantined (%s tries): %s", pipeline, item, row.attempts, error)
    return row


def held(pipeline: str, *, now: dt.datetime | None = None) -> set[str]:
    """Items a sweep must leave alone for now: failed for good, or not yet due."""
    now = now or timezone.now()
    return set(
        QuarantinedItem.objects.filter(pipeline=pipeline)
        .filter(Q(state=QuarantinedItem.State.FAILED) | Q(next_try_at__gt=now))
        .values_list("item", flat=True)
    )


def held_ids(pipeline: str, *, now: dt.datetime | None = None) -> set[int]:
    return {int(key) for key in held(pipeline, now=now) if key.isdecimal()}


def due(pipeline: str, *, now: dt.datetime | None = None) -> list[str]:
    """Quarantined items whose next try has come."""
    now = now or timezone.now()
    return list(
        QuarantinedItem.objects.filter(
            pipeline=pipeline, state=QuarantinedItem.State.RETRYING, next_try_at__lte=now
        ).values_list("item", flat=True)
    )


def release(pipeline: str, items: Iterable[str]) -> int:
    """Items processed at last leave quarantine."""
    keys = list(items)
    if not keys:
        return 0
    deleted, _ = QuarantinedItem.objects.filter(pipeline=pipeline, item__in=keys).delete()
    return deleted


def retry_now(queryset: Any) -> int:
    """The secretariat's "try again": due at once, with its tries counted afresh."""
    return queryset.update(
        state=QuarantinedItem.State.RETRYING, attempts=F("attempts") * 0, next_try_at=timezone.now()
    )


def run_isolated(
    *,
    pipeline: Pipeline | str,
    items: Sequence[T],
    process: Callable[[list[T]], Any],
    key: Callable[[T], str] = str,
    payload: Callable[[T], Any] | None = None,
) -> Isolated[T]:
    """`process(chunk)` in a transaction for the whole batch, else for halves of it, down to
    single items; a single item that fails is quarantined with its error. Items that were
    quarantined and are processed now leave quarantine."""
    outcome: Isolated[T] = Isolated()
    pending: list[list[T]] = [list(items)] if items else []
    while pending:
        chunk = pending.pop()
        try:
            with transaction.atomic():
                process(chunk)
        except Exception as problem:
            if len(chunk) > 1:
                half = len(chunk) // 2
                pending += [chunk[half:], chunk[:half]]  # the first half is tried first
                continue
            logger.exception("%s: item %s failed", pipeline, key(chunk[0]))
            record_failure(
                pipeline=str(pipeline),
                item=key(chunk[0]),
                error=_describe(problem),
                payload=payload(chunk[0]) if payload else None,
            )
            outcome.failed.append(chunk[0])
        else:
            outcome.done.extend(chunk)
    if outcome.done and QuarantinedItem.objects.filter(pipeline=pipeline).exists():
        release(str(pipeline), (key(item) for item in outcome.done))
    return outcome


def run_each(
    *,
    pipeline: Pipeline | str,
    items: Sequence[T],
    process: Callable[[T], Any],
    key: Callable[[T], str] = str,
) -> Isolated[T]:
    """`process(item)` for each item on its own, for work that cannot be undone and so must
    never be repeated by splitting a batch (an email sent): a failing item is quarantined,
    the others go on."""
    outcome: Isolated[T] = Isolated()
    for item in items:
        chunk = run_isolated(
            pipeline=pipeline, items=[item], process=lambda c: process(c[0]), key=key
        )
        outcome.done += chunk.done
        outcome.failed += chunk.failed
    return outcome


def replay_due(
    pipeline: Pipeline | str, replay: Callable[[str, Any], Any], *, now: dt.datetime | None = None
) -> Isolated[str]:
    """For pipelines whose items exist only as their quarantined payload (a call result, a
    kiosk visit): each item due is processed again from it, released if it lands, counted
    (and backed off, and failed at the limit) if not."""
    rows = dict(
        QuarantinedItem.objects.filter(
            pipeline=pipeline,
            state=QuarantinedItem.State.RETRYING,
            next_try_at__lte=now or timezone.now(),
        ).values_list("item", "payload")
    )
    return run_each(
        pipeline=pipeline, items=sorted(rows), process=lambda item: replay(item, rows[item])
    )


Replayer = Callable[[str, Any], Any]
_replayers: dict[str, Replayer] = {}


def register_replayer(pipeline: Pipeline | str, replay: Replayer) -> None:
    """How a pipeline with no sweep of its own takes up its quarantined items again: each
    app registers its own in ready() (core never imports the apps above it)."""
    _replayers[str(pipeline)] = replay


def replayers() -> dict[str, Replayer]:
    return dict(_replayers)
