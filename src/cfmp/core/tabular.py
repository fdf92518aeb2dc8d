"""Reading operator-supplied CSV files row by row, and reporting what was wrong with each row.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO


class FileRejected(Exception):
    """The whole file is unusable (wrong columns, wrong encoding): nothing was imported."""


class RowRejected(Exception):
    """One row is bad; the import goes on with the next row."""

    def __init__(self, message: str, *, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    read: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def reject(self, row: int, error: RowRejected) -> None:
        self.errors.append(RowError(row=row, column=error.column, message=str(error)))


Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One row: its spreadsheet row number and its values by (lower-case) column name.
    `cells` has exactly one value per header column (short rows are padded with "")."""

    row: int
    cells: list[str]
    index: dict[str, int]  # column name -> position, shared by every row of a file
    extra: tuple[str, ...] = ()

    def get(self, column: str) -> str:
        position = self.index.get(column)
        return "" if position is None else self.cells[position]

    def extra_values_problem(self) -> str | None:
        if any(value.strip() for value in self.extra):
            return (
                f"the row has {len(self.index) + len(self.extra)} values but the header "
                f"names {len(self.index)} columns (an unquoted comma?)"
            )
        return None

    def reject_extra_values(self) -> None:
        problem = self.extra_values_problem()
        if problem:
            raise RowRejected(problem)


def _column_index(columns: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, name in enumerate(columns):
        if name:
            index.setdefault(name, position)  # a repeated column: the first one counts
    return index


def _check_columns(columns: list[str], required_columns: tuple[str, ...]) -> None:
    missing = [name for name in required_columns if name not in columns]
    if missing:
        raise FileRejected(
            f"missing column(s): {', '.join(missing)} "
            f"(expected: {', '.join(required_columns)}; found: {', '.join(columns)})"
        )


def read_csv_records(
    binary: BinaryIO,
    *,
    required_columns: tuple[str, ...],
    progress: Progress | None = None,
) -> Iterator[CsvRecord]:
    """Yield each record of a UTF-8 CSV file, its values stripped of surrounding spaces.

    Column names are matched case-insensitively and without surrounding spaces; a byte-order
    mark (Excel's "CSV UTF-8") is ignored. `progress` is called with the bytes consumed so far.
    """
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except UnicodeDecodeError as exc:
        raise FileRejected(f"the file is not UTF-8 text ({exc.reason})") from exc
    if header is None:
        raise FileRejected("the file is empty: expected a header row")
    columns = [name.strip().lower() for name in header]
    _check_columns(columns, required_columns)
    index = _column_index(columns)
    width = len(columns)

    try:
        for row_number, values in enumerate(reader, start=2):
            cells = [value.strip() for value in values]
            if not any(cells):
                continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield CsvRecord(row_number, cells[:width], index, tuple(cells[width:]))
            if progress is not None and row_number % 256 == 0:
                progress(binary.tell())
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"the file is not UTF-8 text after row {reader.line_num} ({exc.reason})"
        ) from exc
    except csv.Error as exc:
        raise FileRejected(
            f"the file is not readable CSV at line {reader.line_num} ({exc})"
        ) from exc
    if progress is not None:
        progress(binary.tell())


def read_xlsx_records(
    path: Any,
    *,
    required_columns: tuple[str, ...],
    progress: Progress | None = None,
) -> Iterator[CsvRecord]:
    """Yield each row of the first worksheet of an .xlsx file, streamed in constant memory.

    Cells become text as an operator sees them; a date cell becomes ISO 8601 (local time).
    `progress` is called with the number of rows read so far.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise FileRejected(f"not a readable .xlsx workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileRejected("the worksheet is empty: expected a header row")
        columns = [_cell_text(name).lower() for name in header]
        _check_columns(columns, required_columns)
        index = _column_index(columns)
        width = len(columns)
        for row_number, cells in enumerate(rows, start=2):
            values = [_cell_text(cell) for cell in cells]
            if not any(values):
                continue
            if len(values) < width:
                values.extend([""] * (width - len(values)))
            yield CsvRecord(row_number, values[:width], index, tuple(values[width:]))
            if progress is not None and row_number % 256 == 0:
                progress(row_number)
    finally:
        workbook.close()


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # phone numbers typed into number cells
    return str(cell).strip()
