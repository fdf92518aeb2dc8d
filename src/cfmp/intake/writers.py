"""Storing validated transactions, a chunk at a time, idempotently by (source, reference).

A chunk is first *prepared* (rows built, and on PostgreSQL rendered as COPY text) by the
thread that validates, then *stored*, possibly on a writer thread: on PostgreSQL storing is a
look-up of the references already present and one COPY of the rest, which keeps the writer
thread out of Python (and off the GIL) while the database works. If a concurrent import wins a
race for one of the references, the chunk is redone through a staging table and
`INSERT … ON CONFLICT DO NOTHING RETURNING`, which says exactly which references were new.
Elsewhere (SQLite) existing references are looked up and the rest bulk-inserted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cfmp.intake.models import Transaction
from cfmp.intake.validation import ValidTransaction

TABLE = Transaction._meta.db_table
COLUMNS = (
    "source_id",
    "reference",
    "occurred_at",
    "service_id",
    "office_id",
    "official_id",
    "citizen_name",
    "mobile_raw",
    "mobile",
    "sms_block",
    "cnic_digest",
    "cnic_sealed",
    "cnic_last4",
    "quality_flags",
    "recorded_by_id",
    "created_at",
)
_COPY_SQL = f"COPY {{table}} ({', '.join(COLUMNS)}) FROM STDIN"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(slots=True)
class PreparedChunk:
    source_id: int
    references: list[str]
    rows: list[tuple] | None = None  # for the ORM
    lines: list[bytes] | None = None  # COPY text, one line per reference


def _text(value: str) -> str:
    return value.translate(_ESCAPES) if value else value


def _copy_line(
    item: ValidTransaction,
    source_id: int,
    official_id: int | None,
    recorded_by: str,
    created_at: str,
) -> bytes:
    return (
        "\t".join(
            (
                str(source_id),
                _text(item.reference),
                item.occurred_at.isoformat(),
                str(item.service_id),
                str(item.office_id),
                str(official_id) if official_id is not None else "\\N",
                _text(item.citizen_name),
                _text(item.mobile_raw),
                item.mobile,
                item.sms_block,
                item.cnic_digest,
                item.cnic_sealed,
                item.cnic_last4,
                str(item.quality_flags),
                recorded_by,
                created_at,
            )
        ).encode()
        + b"\n"
    )


def prepare_chunk(
    items: Sequence[ValidTransaction],
    *,
    official_ids: Sequence[int | None],
    source_id: int,
    recorded_by_id: int | None,
    now: dt.datetime | None = None,
) -> PreparedChunk:
    """Rows ready to store. The items' references must be distinct."""
    now = now or timezone.now()
    references = [item.reference for item in items]
    if connection.vendor == "postgresql":
        recorded_by = str(recorded_by_id) if recorded_by_id is not None else "\\N"
        created_at = now.isoformat()
        lines = [
            _copy_line(item, source_id, official_id, recorded_by, created_at)
            for item, official_id in zip(items, official_ids, strict=True)
        ]
        return PreparedChunk(source_id, references, lines=lines)
    rows = [
        (
            source_id,
            item.reference,
            item.occurred_at,
            item.service_id,
            item.office_id,
            official_id,
            item.citizen_name,
            item.mobile_raw,
            item.mobile,
            item.sms_block,
            item.cnic_digest,
            item.cnic_sealed,
            item.cnic_last4,
            item.quality_flags,
            recorded_by_id,
            now,
        )
        for item, official_id in zip(items, official_ids, strict=True)
    ]
    return PreparedChunk(source_id, references, rows=rows)


def store_chunk(chunk: PreparedChunk) -> set[str]:
    """Store the chunk's rows whose reference is new for the source; return those references."""
    if not chunk.references:
        return set()
    if chunk.lines is not None:
        return _store_with_copy(chunk)
    return _store_with_orm(chunk)


def _existing_references(chunk: PreparedChunk) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT reference FROM {TABLE} WHERE source_id = %s AND reference = ANY(%s)",
            [chunk.source_id, chunk.references],
        )
        return {reference for (reference,) in cursor.fetchall()}


def _store_with_copy(chunk: PreparedChunk) -> set[str]:
    from psycopg.errors import UniqueViolation

    assert chunk.lines is not None
    existing = _existing_references(chunk)
    new = [
        (reference, line)
        for reference, line in zip(chunk.references, chunk.lines, strict=True)
        if reference not in existing
    ]
    if not new:
        return set()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, TABLE, b"".join(line for _, line in new))
    except UniqueViolation:
        return _store_through_staging(chunk)
    return {reference for reference, _ in new}


def _copy(cursor: Any, table: str, data: bytes) -> None:
    # Django's cursor wraps psycopg's; COPY needs the driver's own cursor.
    with cursor.cursor.copy(_COPY_SQL.format(table=table)) as copy:
        copy.write(data)


def _store_through_staging(chunk: PreparedChunk) -> set[str]:
    assert chunk.lines is not None
    columns = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS intake_staging AS "
            f"SELECT {columns} FROM {TABLE} WITH NO DATA"
        )
        cursor.execute("TRUNCATE intake_staging")
        _copy(cursor, "intake_staging", b"".join(chunk.lines))
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM intake_staging "
            f"ON CONFLICT (source_id, reference) DO NOTHING RETURNING reference"
        )
        return {reference for (reference,) in cursor.fetchall()}


def _store_with_orm(chunk: PreparedChunk) -> set[str]:
    assert chunk.rows is not None
    with transaction.atomic():
        existing: set[str] = set()
        for start in range(0, len(chunk.references), 500):  # SQLite's variable limit
            existing.update(
                Transaction.objects.filter(
                    source_id=chunk.source_id,
                    reference__in=chunk.references[start : start + 500],
                ).values_list("reference", flat=True)
            )
        new = [
            Transaction(**dict(zip(COLUMNS, row, strict=True)))
            for row in chunk.rows
            if row[1] not in existing
        ]
        Transaction.objects.bulk_create(new, batch_size=500)
    return {t.reference for t in new}
