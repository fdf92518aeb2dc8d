"""Cells a spreadsheet will not run (OWASP's CSV injection rule).

A text cell beginning with = + - @, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula: an official's name such as `=HYPERLINK(…)` arriving through
the API or an upload would run on the secretariat's machine. Every CSV and XLSX CFMP writes
passes its cells through here. Numbers stay numbers: only text is changed.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """For CSV: text that would start a formula is prefixed with an apostrophe, which the
    spreadsheet shows as text (and hides); anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def append_text_safe(sheet: Any, values: list[Any]) -> None:
    """For XLSX (openpyxl): the row appended with every text cell stored as text, never as a
    formula (openpyxl makes any string starting with "=" a formula). The text is kept as
    it was: an XLSX text cell is not evaluated, so no apostrophe is needed."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
