"""Storing validated transactions, a chunk at a time, idempotently by (source, reference).

On PostgreSQL a chunk is streamed with COPY into a temporary table and moved with one
`INSERT … ON CONFLICT DO NOTHING RETURNING`, which says exactly which references were new.
Elsewhere (SQLite) the chunk's existing references are looked up and the rest bulk-inserted
inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from cfmp.intake.models import Transaction
from cfmp.intake.validation import ValidTransaction

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


def _row(
    item: ValidTransaction,
    *,
    source_id: int,
    official_id: int | None,
    recorded_by_id: int | None,
    now: dt.datetime,
) -> tuple:
    return (
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


def write_chunk(
    items: Sequence[ValidTransaction],
    *,
    official_ids: Sequence[int | None],
    source_id: int,
    recorded_by_id: int | None,
) -> set[str]:
    """Store the items whose reference is new for this source; return those references.
    The items' references must be distinct."""
    if not items:
        return set()
    now = timezone.now()
    rows = [
        _row(
            item,
            source_id=source_id,
            official_id=official_id,
            recorded_by_id=recorded_by_id,
            now=now,
        )
        for item, official_id in zip(items, official_ids, strict=True)
    ]
    if connection.vendor == "postgresql":
        return _write_with_copy(rows)
    return _write_with_orm(rows, source_id=source_id)


def _write_with_copy(rows: list[tuple]) -> set[str]:
    table = Transaction._meta.db_table
    columns = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS intake_staging AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute("TRUNCATE intake_staging")
        # Django's cursor wraps psycopg's; COPY needs the driver's own cursor.
        raw = cursor.cursor
        with raw.copy(f"COPY intake_staging ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM intake_staging "
            f"ON CONFLICT (source_id, reference) DO NOTHING RETURNING reference"
        )
        created = {reference for (reference,) in cursor.fetchall()}
    return created


def _write_with_orm(rows: list[tuple], *, source_id: int) -> set[str]:
    references = [row[1] for row in rows]
    with transaction.atomic():
        existing: set[str] = set()
        for start in range(0, len(references), 500):  # SQLite's variable limit
            existing.update(
                Transaction.objects.filter(
                    source_id=source_id, reference__in=references[start : start + 500]
                ).values_list("reference", flat=True)
            )
        new = [
            Transaction(**dict(zip(COLUMNS, row, strict=True)))
            for row in rows
            if row[1] not in existing
        ]
        Transaction.objects.bulk_create(new, batch_size=500)
    return {t.reference for t in new}
