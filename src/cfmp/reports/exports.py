"""A report table as CSV, JSON or XLSX (PDF: next)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cfmp.reports.selectors import Row, Table

FORMATS = ("csv", "json", "xlsx")


def _cells(table: Table, row: Row) -> list[Any]:
    value = "suppressed" if row.suppressed else row.value
    if isinstance(value, float):
        value = round(value, 4)
    return [row.label, row.label_ur, value, row.numerator, row.denominator]


def _header(table: Table) -> list[str]:
    metric = table.report.metric
    return [
        table.report.dimension.title,
        f"{table.report.dimension.title} (اردو)",
        metric.title,
        "count" if not metric.live else "cases",
        metric.denominator or "",
    ]


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"# {table.report.name}: {table.report.title} ({table.start} – {table.end})"])
    writer.writerow(_header(table))
    for row in [*table.rows, table.total]:
        writer.writerow(_cells(table, row))
    for note in table.notes:
        writer.writerow([f"# {note}"])
    return out.getvalue().encode("utf-8-sig")  # Excel reads the BOM as UTF-8: Urdu intact


def as_json(table: Table) -> bytes:
    def row(r: Row) -> dict[str, Any]:
        return {
            "key": r.key,
            "label": r.label,
            "label_ur": r.label_ur,
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "suppressed": r.suppressed,
        }

    document = {
        "report": table.report.name,
        "title": table.report.title,
        "title_ur": table.report.title_ur,
        "from": table.start.isoformat(),
        "to": table.end.isoformat(),
        "rows": [row(r) for r in table.rows],
        "total": row(table.total),
        "notes": table.notes,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = table.report.metric.key[:31]
    sheet.append([table.report.title])
    sheet.append([table.report.title_ur])
    sheet.append([f"{table.start} – {table.end}"])
    sheet.append(_header(table))
    for row in [*table.rows, table.total]:
        sheet.append(_cells(table, row))
    for note in table.notes:
        sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        return as_csv(table)
    if fmt == "json":
        return as_json(table)
    if fmt == "xlsx":
        return as_xlsx(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
