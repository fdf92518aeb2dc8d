"""Writes of the intake app. `ingest_transactions` is the one way transactions get in: the API,
file imports (CLI and web upload) and the operator form all call it, so validation is
identical whichever door a transaction comes through."""

from __future__ import annotations

import enum
import hashlib
import queue
import secrets
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.accounts.scopes import office_scope
from cfmp.intake.models import QualityFlag, SourceSystem, SourceToken
from cfmp.intake.validation import (
    Registry,
    Rejected,
    TransactionInput,
    Validator,
    ValidTransaction,
)
from cfmp.intake.writers import PreparedChunk, prepare_chunk, store_chunk
from cfmp.registry.models import Office, Official
from cfmp.registry.services import create_official


class ItemStatus(enum.StrEnum):
    CREATED = "created"
    ALREADY_PRESENT = "already_present"
    REJECTED = "rejected"


@dataclass(slots=True)
class ItemResult:
    key: int  # the item's index in an API batch, or its row number in a file
    reference: str
    status: ItemStatus
    errors: dict[str, list[str]] = field(default_factory=dict)
    flags: int = 0
    item: TransactionInput | None = None

    @property
    def flag_names(self) -> list[str]:
        return QualityFlag.names(self.flags)


@dataclass
class IngestReport:
    read: int = 0
    created: int = 0
    already_present: int = 0
    rejected: int = 0
    flagged: int = 0  # created rows with at least one data-quality flag
    flags: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "created": self.created,
            "already_present": self.already_present,
            "rejected": self.rejected,
            "flagged": self.flagged,
        }


def allowed_office_ids(*, source: SourceSystem, user: User | None) -> frozenset[int]:
    """Offices a submission may write for: the source system's (its departments' and its own
    offices, or all), narrowed to the submitting user's scope when a person submits."""
    if source.all_offices:
        offices = Office.objects.all()
    else:
        offices = Office.objects.filter(
            Q(department__in=source.departments.all()) | Q(pk__in=source.offices.all())
        )
    if user is not None:
        offices = offices.filter(office_scope(user))
    return frozenset(offices.values_list("pk", flat=True))


def ingest_transactions(
    *,
    source: SourceSystem,
    items: Iterable[tuple[int, TransactionInput]],
    recorded_by: User | None = None,
    on_result: Callable[[ItemResult], None] | None = None,
    chunk_size: int = 5000,
    pipelined: bool = False,
) -> IngestReport:
    """Validate and store transactions, idempotently by (source, reference).

    `items` are (key, input) pairs: the key (row number or batch index) comes back in each
    ItemResult passed to `on_result`. Good items land even when others are rejected; a
    reference already stored for this source, or repeated within the submission, is
    reported as already present and changes nothing. An official unknown to the registry is
    created under the transaction's office, unverified.

    `pipelined` (for large files) stores each chunk on a writer thread while the next one is
    validated, so parsing and the database work at the same time; `on_result` is then called
    from that thread for stored items. It applies on PostgreSQL outside a transaction only:
    the writer thread has its own connection and must see what this one has committed.
    """
    report = IngestReport()
    registry = Registry.load()
    validator = Validator(
        registry=registry,
        allowed_office_ids=allowed_office_ids(source=source, user=recorded_by),
        references_per_office=source.references_per_office,
    )
    recorded_by_id = recorded_by.pk if recorded_by is not None else None
    pending: list[tuple[int, ValidTransaction]] = []
    seen_in_chunk: set[str] = set()

    def store(chunk: tuple[list[tuple[int, ValidTransaction]], PreparedChunk]) -> None:
        pending_items, prepared = chunk
        created = store_chunk(prepared)
        _report_chunk(pending_items, created, report=report, on_result=on_result)

    use_thread = pipelined and connection.vendor == "postgresql" and not connection.in_atomic_block
    writer = ChunkWriter(store, threaded=use_thread)

    def flush() -> None:
        if pending:
            items_only = [valid for _, valid in pending]
            prepared = prepare_chunk(
                items_only,
                official_ids=[_official_id(valid, registry) for valid in items_only],
                source_id=source.pk,
                recorded_by_id=recorded_by_id,
            )
            writer.submit((list(pending), prepared))
        pending.clear()
        seen_in_chunk.clear()

    try:
        for key, item in items:
            report.read += 1
            try:
                valid = validator.validate(item)
            except Rejected as rejection:
                report.rejected += 1
                if on_result is not None:
                    on_result(
                        ItemResult(
                            key,
                            item.reference,
                            ItemStatus.REJECTED,
                            errors=rejection.errors,
                            item=item,
                        )
                    )
                continue
            if valid.reference in seen_in_chunk:
                flush()  # the repeat is then found already present in the database
            pending.append((key, valid))
            seen_in_chunk.add(valid.reference)
            if len(pending) >= chunk_size:
                flush()
        flush()
    except BaseException:
        writer.stop()
        raise
    writer.close()
    return report


WRITER_SWITCH_INTERVAL = 0.0001  # seconds; see ChunkWriter
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.005


def _shorten_switch_interval() -> None:
    """The switch interval is process-wide: shortened while any pipelined import runs,
    restored when the last one ends."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(WRITER_SWITCH_INTERVAL)
        _switch_users += 1


def _restore_switch_interval() -> None:
    global _switch_users
    with _switch_lock:
        _switch_users -= 1
        if _switch_users == 0:
            sys.setswitchinterval(_switch_saved)


class ChunkWriter:
    """Stores chunks in order, on a thread of its own when asked, one chunk ahead at most;
    a failure on the thread is raised in the caller at its next submit or at close."""

    _DONE = object()

    def __init__(self, store: Callable[[Any], None], *, threaded: bool) -> None:
        self.store = store
        self.error: BaseException | None = None
        self.queue: queue.Queue[Any] | None = None
        if threaded:
            # The writer thread mostly waits on the database but needs the GIL for a moment
            # after every network round trip; with the default 5 ms switch interval it queues
            # behind the validating thread each time (a "convoy") and stores at half speed.
            _shorten_switch_interval()
            self.queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        assert self.queue is not None
        try:
            while (chunk := self.queue.get()) is not self._DONE:
                if self.error is None:
                    try:
                        self.store(chunk)
                    except BaseException as error:  # handed to the caller's thread
                        self.error = error
        finally:
            connection.close()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def submit(self, chunk: Any) -> None:
        if self.queue is None:
            self.store(chunk)
            return
        self._raise_error()
        self.queue.put(chunk)

    def stop(self) -> None:
        """Wind down after the caller failed: let the thread finish, keep the caller's error."""
        if self.queue is not None and self.thread.is_alive():
            self.error = self.error or RuntimeError("stopped")
            self.queue.put(self._DONE)
            self.thread.join()
            _restore_switch_interval()

    def close(self) -> None:
        if self.queue is not None:
            self.queue.put(self._DONE)
            self.thread.join()
            _restore_switch_interval()
        self._raise_error()


def _report_chunk(
    pending: list[tuple[int, ValidTransaction]],
    created: set[str],
    *,
    report: IngestReport,
    on_result: Callable[[ItemResult], None] | None,
) -> None:
    for key, valid in pending:
        if valid.reference in created:
            report.created += 1
            if valid.quality_flags:
                report.flagged += 1
                report.flags.update(QualityFlag.names(valid.quality_flags))
            status = ItemStatus.CREATED
        else:
            report.already_present += 1
            status = ItemStatus.ALREADY_PRESENT
        if on_result is not None:
            on_result(ItemResult(key, valid.reference, status, flags=valid.quality_flags))


def _official_id(valid: ValidTransaction, registry: Registry) -> int | None:
    if not valid.official_code:
        return None
    code = valid.official_code.lower()
    official_id = registry.officials.get(code)
    if official_id is None:
        official_id = _create_unverified_official(valid)
        registry.officials[code] = official_id
        registry.official_offices[code] = valid.office_id
        registry.unverified_officials.add(code)
    return official_id


def _create_unverified_official(valid: ValidTransaction) -> int:
    try:
        with transaction.atomic():
            return create_official(
                employee_code=valid.official_code,
                name=valid.official_code,
                designation="",
                office=Office.objects.get(pk=valid.office_id),
                started_on=timezone.localdate(valid.occurred_at),
                is_verified=False,
            ).pk
    except IntegrityError:  # created meanwhile by a concurrent import
        return Official.objects.get(employee_code__iexact=valid.official_code).pk


def issue_source_token(*, source: SourceSystem, label: str = "") -> tuple[SourceToken, str]:
    """A new API key for a source system. The key itself is returned once and never stored."""
    key = "cfmp_" + secrets.token_urlsafe(32)
    token = SourceToken.objects.create(
        source=source, label=label, prefix=key[:12], key_hash=hash_token_key(key)
    )
    return token, key


def hash_token_key(key: str) -> str:
    # surrogatepass: whatever a caller sends (a lone surrogate from JSON) hashes to a key
    # that matches nothing, rather than raising.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def revoke_source_token(*, token: SourceToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
