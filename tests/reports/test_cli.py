"""cfmp report: the catalogue, one report in each format, the summary, scoped by user."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.rollups import rebuild_rollups
from tests.cases.support import complaint


def test_the_catalogue_has_hundreds_of_named_reports_in_two_languages(capsys):
    call_command("report", "list")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CATALOGUE) == 312
    name, title, title_ur = lines[0].split("\t")
    assert name == "transactions-by-province-day" and title and "بلحاظ" in title_ur
    assert len({line.split("\t")[0] for line in lines}) == 312


@pytest.mark.django_db
def test_run_prints_csv_and_writes_xlsx_scoped_to_a_user(world, capsysbinary, tmp_path):
    complaint("LHR-REV"), complaint("MUL-REV", official="MUL-REV-1")
    rebuild_rollups()
    call_command("report", "run", "complaints-by-district-month", "--from", "2026-03-01")
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
    body = {row[0]: row[2] for row in rows[2:] if not row[0].startswith("#")}
    assert body == {"Lahore": "1", "Multan": "1", "Total": "2"}
    call_command(
        "report",
        "run",
        "complaints-by-district-month",
        "--from",
        "2026-03-05",
        "--as-user",
        "do",
        "--format",
        "json",
    )
    scoped = json.loads(capsysbinary.readouterr().out)
    assert [row["label"] for row in scoped["rows"]] == ["Lahore"] and scoped["total"]["value"] == 1
    out = tmp_path / "r.xlsx"
    call_command(
        "report", "run", "bribe-rate-by-office-week", "--format", "xlsx", "--output", str(out)
    )
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet["A1"].value == "Bribe reported by office, seven days"
    assert "رشوت" in sheet["A2"].value


@pytest.mark.django_db
def test_summary_prints_the_province_totals(world, capsys):
    from cfmp.cases.services import file_complaints

    first, second = complaint("LHR-REV"), complaint("LHR-REV", category="satisfied")
    file_complaints(feedback_ids=[first.pk, second.pk])
    rebuild_rollups()
    call_command("report", "summary", "--json")
    totals = json.loads(capsys.readouterr().out)
    assert (totals["transactions"], totals["feedback"], totals["bribe"], totals["satisfied"]) == (
        2,
        2,
        1,
        1,
    )
    assert totals["cases_opened"] == 1


@pytest.mark.django_db
def test_unknown_reports_and_users_are_explained(world):
    with pytest.raises(CommandError, match="cfmp report list"):
        call_command("report", "run", "no-such-report")
    with pytest.raises(CommandError, match="no active user"):
        call_command("report", "run", "transactions-by-province-day", "--as-user", "nobody")


@pytest.mark.django_db
def test_small_cells_are_suppressed_for_office_heads(world, settings):
    from cfmp.accounts.models import Role
    from cfmp.reports.selectors import run_report

    for _ in range(3):
        complaint("MUL-HLT", official="MUL-HLT-1")
    rebuild_rollups()
    import datetime as dt

    today = dt.date.today()
    report = CATALOGUE["bribe-rate-by-office-range"]
    head = run_report(
        report, user=world.users[Role.OFFICE_HEAD], start=today - dt.timedelta(days=400), end=today
    )
    assert head.rows[0].suppressed and head.rows[0].value is None and head.k == 5
    secretariat = run_report(
        report, user=world.users[Role.SECRETARIAT], start=today - dt.timedelta(days=400), end=today
    )
    assert secretariat.rows[0].value == 1.0 and not secretariat.rows[0].suppressed
    counts = run_report(
        CATALOGUE["transactions-by-office-range"],
        user=world.users[Role.OFFICE_HEAD],
        start=today - dt.timedelta(days=400),
        end=today,
    )
    assert counts.rows[0].value == 3  # counts of services are not about a complainant
