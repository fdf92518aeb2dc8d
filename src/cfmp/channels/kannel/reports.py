"""Delivery reports at gateway speed: Kannel calls back once or twice per message (submitted,
then delivered), so at a few hundred SMS a second the callbacks outnumber the sends.

Each callback is written in a *group commit*: the request hands its report to this
process's batcher and waits; the batcher's thread applies everything that arrived in the
last few milliseconds at once (a handful of UPDATE ... WHERE id IN (...)), then lets all
the waiting requests answer. Nothing is acknowledged before it is committed, so a
crash loses no report (Kannel sees an error and the report is not acknowledged).

`application` is a bare WSGI app that serves only Kannel's dlr-url, for running beside the
web server under gunicorn when volumes are high (`cfmp.channels.kannel.wsgi`, see README.md
here); the Django view at /outreach/kannel/dlr takes the same path."""

from __future__ import annotations

import logging
import queue
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, close_old_connections, connection

from cfmp.channels.base import own_setting
from cfmp.channels.kannel.adapter import parse_report, signature_is_valid
from cfmp.core.bounds import OutOfBounds, bounded_int
from cfmp.outreach import dispatch

logger = logging.getLogger(__name__)
Report = tuple[int, int]  # (attempt id, Kannel report type)


@dataclass
class _Waiting:
    report: Report
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class ReportBatcher:
    """Collects reports from many request threads; one thread applies them in batches."""

    def __init__(
        self,
        apply: Callable[[list[Report]], object],
        *,
        max_batch: int = 2000,
        max_wait: float = 0.004,
    ) -> None:
        self.apply = apply
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.batches = 0  # how many transactions were written (for tests and benchmarks)
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, report: Report, *, timeout: float = 30.0) -> None:
        """Returns once the report is committed; raises if it could not be."""
        self._ensure_thread()
        waiting = _Waiting(report)
        self._queue.put(waiting)
        if not waiting.done.wait(timeout):
            raise TimeoutError("delivery report not written in time")
        if waiting.error is not None:
            raise waiting.error

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="delivery-report-batcher", daemon=True
                )
                self._thread.start()

    def _next_batch(self) -> list[_Waiting]:
        while True:
            try:
                batch = [self._queue.get(timeout=1.0)]
                break
            except queue.Empty:
                connection.close()  # idle: hold no database connection

        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                break
        return batch

    def _apply_with_retries(self, reports: list[Report], tries: int = 3) -> None:
        for attempt in range(1, tries + 1):
            try:
                self.apply(reports)
                return
            except OperationalError:
                # A lock timeout or the database restarting: the writes are idempotent.
                if attempt == tries:
                    raise
                close_old_connections()
                time.sleep(0.05 * attempt)

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                self._apply_with_retries([waiting.report for waiting in batch])
                self.batches += 1
            except BaseException as problem:
                logger.exception("a batch of %d delivery reports failed", len(batch))
                for waiting in batch:
                    waiting.error = problem
                close_old_connections()
            finally:
                for waiting in batch:
                    waiting.done.set()


def apply_kannel_reports(reports: list[Report]) -> None:
    """Kannel's (attempt id, report type) pairs, parsed by its adapter and applied at once."""
    parsed = [(attempt, parse_report(kind)) for attempt, kind in reports]
    dispatch.apply_delivery_reports([(a, report) for a, report in parsed if report is not None])


_batcher: ReportBatcher | None = None
_batcher_lock = threading.Lock()


def _shared_batcher() -> ReportBatcher:
    global _batcher
    with _batcher_lock:
        if _batcher is None:
            _batcher = ReportBatcher(apply_kannel_reports)
        return _batcher


def _can_batch() -> bool:
    # Inside a transaction (a test, or a caller's atomic block) another thread could not
    # see the attempts; an in-memory SQLite database exists for its own connection only.
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name)
    return (
        own_setting("CFMP_BATCH_DELIVERY_REPORTS")
        and not connection.in_atomic_block
        and not in_memory
    )


def accept_kannel_report(*, attempt_id: int, kind: int) -> None:
    """Record one Kannel report durably (batched when possible)."""
    if _can_batch():
        _shared_batcher().submit((attempt_id, kind))
    else:
        apply_kannel_reports([(attempt_id, kind)])


def parse_kannel_report(query: dict[str, list[str]]) -> tuple[int, str | Report]:
    """(HTTP status, message or the report) for a dlr-url query."""
    attempt_id = _bounded_int(query, "attempt", MAX_ID)
    kind = _bounded_int(query, "type", MAX_REPORT_TYPE)
    if attempt_id is None or kind is None:
        return 400, "attempt and type are required: attempt a positive id, type Kannel's 0-31"
    if not signature_is_valid(attempt_id, query.get("sig", [""])[0]):
        return 403, "bad signature"
    return 200, (attempt_id, kind)


MAX_ID = 2**63 - 1  # a database id (bigint)
MAX_REPORT_TYPE = 31  # Kannel's report types are the bits of a 5-bit dlr-mask


def _bounded_int(query: dict[str, list[str]], name: str, largest: int) -> int | None:
    """The parameter as a whole number within [0, largest], else None (a 400, never a 500)."""
    try:
        return bounded_int((query.get(name) or [""])[0], field=name, maximum=largest)
    except OutOfBounds:
        return None


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """WSGI app for Kannel's dlr-url alone (served as `gunicorn cfmp.channels.kannel.wsgi`)."""
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    status, outcome = parse_kannel_report(query)
    if isinstance(outcome, tuple):
        try:
            accept_kannel_report(attempt_id=outcome[0], kind=outcome[1])
            body = b"ok"
        except Exception:
            status, body = 503, b"not recorded, try again"
    else:
        body = outcome.encode()
    reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 503: "Service Unavailable"}
    start_response(
        f"{status} {reason[status]}",
        [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
    )
    return [body]
