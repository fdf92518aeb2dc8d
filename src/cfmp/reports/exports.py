"""A report table as CSV, JSON, XLSX or PDF. PDFs are typeset by WeasyPrint (Pango and
HarfBuzz shape Urdu: joined letters, right to left) with Debian's Noto Naskh Arabic."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cfmp.core.spreadsheets import append_text_safe, safe_row
from cfmp.reports.selectors import Row, Table

FORMATS = ("csv", "json", "xlsx", "pdf")


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
    writer.writerow(safe_row(_header(table)))
    for row in [*table.rows, table.total]:
        writer.writerow(safe_row(_cells(table, row)))
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
    append_text_safe(sheet, [table.report.title])
    append_text_safe(sheet, [table.report.title_ur])
    append_text_safe(sheet, [f"{table.start} – {table.end}"])
    append_text_safe(sheet, _header(table))
    for row in [*table.rows, table.total]:
        append_text_safe(sheet, _cells(table, row))
    for note in table.notes:
        append_text_safe(sheet, [note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(table: Table, row: Row) -> dict[str, Any]:
    if row.suppressed:
        shown = "—"
    elif row.value is None:
        shown = ""
    elif table.report.metric.is_rate:
        shown = f"{100 * row.value:.1f} %"
    else:
        shown = f"{row.value:g}" if isinstance(row.value, float) else f"{row.value:,}"
    out_of = f"{row.denominator:,}" if row.denominator is not None else ""
    return {"label": row.label, "label_ur": row.label_ur, "shown": shown, "out_of": out_of}


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load Pango (a Debian package, `make system-deps`): PDFs cannot be
    typeset on this machine, and the other formats still can."""


def render_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except OSError as missing:  # the shared library, not the Python package, is absent
        raise PdfUnavailable(
            "PDF export needs the Pango library on the server (make system-deps)"
        ) from missing
    return weasyprint.HTML(string=html).write_pdf()


def as_pdf(table: Table) -> bytes:
    """The table, its chart and its trend (the same SVG as the page, in English: the PDF
    is bilingual in its table)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from cfmp.reports import figures

    with translation.override("en"):
        chart = figures.main_chart(table)
        trend, _ = figures.trend_chart(table)
    html = render_to_string(
        "reports/pdf.html",
        {
            "chart": chart,
            "trend": trend,
            "table": table,
            "rows": [_shown(table, row) for row in table.rows],
            "total": _shown(table, table.total),
        },
    )
    return render_pdf(html)


def export(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        return as_csv(table)
    if fmt == "json":
        return as_json(table)
    if fmt == "xlsx":
        return as_xlsx(table)
    if fmt == "pdf":
        return as_pdf(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
