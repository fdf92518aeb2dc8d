import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cfmp.intake.models import SmsBlock, Transaction

pytestmark = pytest.mark.django_db

HEADER = "reference,occurred_at,service,office,official,citizen_name,mobile,cnic\n"
MIXED = (
    "T-01,2026-03-01T10:00:00+05:00,property-registration,LHR-REV,LHR-REV-1,محمد آصف,0300-1234567,\n"  # 2
    "T-02,01/03/2026 11:15,property-registration,LHR-REV,LHR-REV-1,Ayesha Bibi,03001234568,35202-1234567-1\n"  # 3
    "T-03,2026-03-01 12:00,mutation,LHR-REV,,Ghulam Rasool,+92 300 1234569,\n"  # 4
    "T-04,2026-03-01T12:30:00+05:00,fard,LHR-REV,,Naseem Akhtar,923001234570,\n"  # 5
    "T-05,2026-03-01T13:00:00+05:00,fard,LHR-REV,,زاہدہ پروین,0092 300 1234571,\n"  # 6
    "T-06,2026-03-01T13:30:00+05:00,domicile,LHR-REV,,Imran Khan,3001234572,\n"  # 7
    "T-07,2026-03-01T14:00:00+05:00,domicile,LHR-REV,,Saima Noreen,۰۳۰۰-۱۲۳۴۵۷۳,\n"  # 8
    "T-08,2026-03-01T14:30:00+05:00,domicile,LHR-REV,,Tariq Aziz,042-35880062,\n"  # 9
    "T-09,32/13/2026 10:00,domicile,LHR-REV,,Bad Date,03001234574,\n"  # 10
    "T-10,yesterday,domicile,LHR-REV,,Bad Date Two,03001234575,\n"  # 11
    "T-11,2026-03-01T15:00:00+05:00,passport,LHR-REV,,Unknown Service,03001234576,\n"  # 12
    "T-01,2026-03-01T10:00:00+05:00,property-registration,LHR-REV,LHR-REV-1,محمد آصف,0300-1234567,\n"  # 13
    "T-12,2026-03-01T15:30:00+05:00,domicile,NOWHERE,,Unknown Office,03001234577,\n"  # 14
    "T-13,2026-03-01T16:00:00+05:00,domicile,LHR-REV,,Dot Number,0300.123.4578,\n"  # 15
)


def write(tmp_path: Path, body: str, name: str = "tx.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def run_import(path: Path, source: str = "plra"):
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "import_transactions",
            str(path),
            "--source",
            source,
            "--no-progress",
            stdout=out,
            stderr=err,
        )
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_mixed_file_every_good_row_once_every_bad_row_reported(tmp_path, revenue_system):
    path = write(tmp_path, MIXED)
    out, err, error = run_import(path)

    assert error is not None
    assert "4 of 14 rows were rejected" in str(error)
    # T-01 (1234567) looks made up; T-08 is a landline.
    assert "read 14, created 9, already present 1, rejected 4, flagged 2" in out
    stored = {t.reference: t for t in Transaction.objects.all()}
    assert set(stored) == {f"T-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 13)}
    assert {t.mobile for ref, t in stored.items() if ref != "T-08"} == {
        f"+9230012345{n}" for n in (67, 68, 69, 70, 71, 72, 73, 78)
    }
    assert stored["T-08"].sms_block == SmsBlock.LANDLINE
    assert stored["T-01"].citizen_name == "محمد آصف"
    assert stored["T-05"].citizen_name == "زاہدہ پروین"

    with (tmp_path / "tx.errors.csv").open(encoding="utf-8-sig") as errors_file:
        rejected = {row["row"]: row for row in csv.DictReader(errors_file)}
    assert set(rejected) == {"10", "11", "12", "14"}
    assert rejected["10"]["errors"].startswith("occurred_at: 32/13/2026 10:00 is not a date")
    assert rejected["12"]["errors"] == "service: unknown service 'passport'"
    assert rejected["14"]["errors"] == "office: unknown office 'NOWHERE'"
    assert rejected["14"]["citizen_name"] == "Unknown Office"
    assert "tx.errors.csv" in err


def test_rerunning_the_same_file_creates_nothing_new(tmp_path, revenue_system):
    path = write(tmp_path, MIXED)
    run_import(path)
    before = Transaction.objects.count()
    out, _, _ = run_import(path)
    assert Transaction.objects.count() == before
    assert "created 0" in out


def test_a_clean_file_exits_zero_and_leaves_no_error_file(tmp_path, revenue_system):
    path = write(tmp_path, MIXED.splitlines(keepends=True)[0])
    (tmp_path / "tx.errors.csv").write_text("stale")
    _, _, error = run_import(path)
    assert error is None
    assert not (tmp_path / "tx.errors.csv").exists()


def test_unknown_source_and_missing_columns_are_clear_errors(tmp_path, revenue_system):
    path = write(tmp_path, MIXED)
    assert "unknown source 'nope'" in str(run_import(path, source="nope")[2])
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,when\nX,2026-01-01\n", encoding="utf-8")
    error = run_import(bad)[2]
    assert "missing column(s): occurred_at, service, office, citizen_name, mobile" in str(error)
    assert not Transaction.objects.exists()


def test_xlsx_files_import_the_same_way(tmp_path, revenue_system):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Reference",
            "Occurred_At",
            "Service",
            "Office",
            "Official",
            "Citizen_Name",
            "Mobile",
            "CNIC",
        ]
    )
    sheet.append(
        [
            "X-1",
            dt.datetime(2026, 3, 1, 10, 0),
            "fard",
            "LHR-REV",
            "LHR-REV-1",
            "Rana Nazar",
            3001234567,
            "35202-1234567-1",
        ]
    )
    sheet.append(["X-2", "01/03/2026 10:30", "fard", "LHR-REV", None, "Sana", "0300-7654321", None])
    sheet.append(["X-3", "01/03/2026 10:30", "passport", "LHR-REV", None, "Bad", "0300", None])
    path = tmp_path / "tx.xlsx"
    workbook.save(path)

    _, _, error = run_import(path)
    assert "1 of 3 rows were rejected" in str(error)
    stored = Transaction.objects.get(reference="X-1")
    assert stored.mobile == "+923001234567"
    assert stored.occurred_at == dt.datetime(2026, 3, 1, 5, 0, tzinfo=dt.UTC)
    errors = (tmp_path / "tx.errors.csv").read_text(encoding="utf-8-sig")
    assert "4,service: unknown service 'passport'" in errors


def test_a_row_with_a_stray_comma_is_rejected_not_misread(tmp_path, revenue_system):
    path = write(
        tmp_path,
        "S-1,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Khan, Imran,03001234567,35202-1234567-1\n",
    )
    _, _, error = run_import(path)
    assert error is not None
    assert not Transaction.objects.exists()
    assert "header names 8 columns" in (tmp_path / "tx.errors.csv").read_text(encoding="utf-8-sig")


def test_an_unusable_number_rejects_its_row_unless_the_row_says_no_mobile(tmp_path, revenue_system):
    path = tmp_path / "nomobile.csv"
    path.write_text(
        HEADER.rstrip("\n") + ",no_mobile\n"
        "N-1,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Asif,12345,,\n"  # 2
        "N-2,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Bilal,,,\n"  # 3
        "N-3,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Chand,,,yes\n"  # 4
        "N-4,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Dawood,0300-1112223,,\n"  # 5
        "N-5,2026-03-01T10:00:00+05:00,fard,LHR-REV,,Ejaz,,,maybe\n",  # 6
        encoding="utf-8",
    )
    out, _, error = run_import(path)
    assert error is not None and "read 5, created 2" in out
    stored = {t.reference: t for t in Transaction.objects.all()}
    assert set(stored) == {"N-3", "N-4"}
    assert stored["N-3"].sms_block == SmsBlock.NO_MOBILE
    with (tmp_path / "nomobile.errors.csv").open(encoding="utf-8-sig") as errors_file:
        rejected = {row["row"]: row for row in csv.DictReader(errors_file)}
    assert set(rejected) == {"2", "3", "6"}
    assert rejected["2"]["errors"] == "mobile: '12345' is not a valid Pakistani mobile number."
    assert rejected["3"]["errors"].startswith("mobile: Required")
    assert rejected["6"]["errors"].startswith("no_mobile: must be yes or no")
    # Corrected in the error file (the citizen of row 3 has no mobile), it imports.
    fixed = tmp_path / "fixed.csv"
    body = (tmp_path / "nomobile.errors.csv").read_text(encoding="utf-8-sig")
    fixed.write_text(
        body.replace(",Bilal,,,", ",Bilal,,,yes").replace(",12345,", ",0300-1112224,"),
        encoding="utf-8",
    )
    run_import(fixed)
    assert {"N-1", "N-2"} <= set(Transaction.objects.values_list("reference", flat=True))
