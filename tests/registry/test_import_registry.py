import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cfmp.registry.models import Office, Official, Posting
from cfmp.registry.selectors import office_of_official_on

pytestmark = pytest.mark.django_db

HEADER = "district,department,office_code,office_name,official_code,official_name,designation\n"


def write_csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> tuple[str, str, CommandError | None]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_registry", str(path), "--no-progress", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_good_rows_land_and_each_bad_row_is_reported_with_its_number(tmp_path):
    path = write_csv(
        tmp_path,
        "Lahore,revenue,LHR-1,Registry Branch Model Town,E-1,Rana Nazar,Clerk\n"  # row 2
        "Lahor,revenue,LHR-2,Typo District,E-2,Ali,Clerk\n"  # row 3
        "multan,Health,MUL-1,RHC Shujabad,E-3,Dr. Sana,Medical Officer\n"  # row 4
        "Multan,fisheries,MUL-2,Unknown Dept,,,\n"  # row 5
        "Kasur,health,,No Code,,,\n"  # row 6
        "Kasur,health,KSR-1,RHC Mustafabad,E-4,,Dispenser\n"  # row 7
        "\n"  # row 8
        "Okara,police,OKR-1,Licence Centre,,,\n"  # row 9
        'Okara,police,OKR-2,"Extra, comma",E-5,Name,Clerk,oops\n',  # row 10
    )
    out, err, error = run_import(path)

    assert error is not None
    assert "5 of 8 rows were rejected" in str(error)
    assert set(Office.objects.values_list("code", flat=True)) == {"LHR-1", "MUL-1", "OKR-1"}
    assert set(Official.objects.values_list("employee_code", flat=True)) == {"E-1", "E-3"}
    assert "row 3, column district: unknown district 'Lahor'" in err
    assert "row 5, column department: unknown department 'fisheries'" in err
    assert "row 6, column office_code: an office code is required" in err
    assert "row 7, column official_name" in err
    assert "row 10: the row has 8 values" in err
    assert "row 2" not in err and "row 9" not in err
    assert "read 8 rows" in out


def test_reimport_is_an_upsert_and_a_new_office_is_a_transfer(tmp_path):
    first = write_csv(
        tmp_path,
        "Lahore,revenue,LHR-1,Registry Branch,E-1,Rana Nazar,Clerk\n"
        "Lahore,revenue,LHR-2,Domicile Branch,,,\n",
    )
    assert run_import(first, "--effective-on", "2024-01-01")[2] is None
    second = write_csv(
        tmp_path,
        "Lahore,revenue,LHR-1,Registry Branch (renamed),,,\n"
        "Lahore,revenue,LHR-2,Domicile Branch,E-1,Rana Nazar,Senior Clerk\n",
    )
    out, _, error = run_import(second, "--effective-on", "2025-07-01")

    assert error is None
    assert Office.objects.count() == 2
    assert Office.objects.get(code="LHR-1").name == "Registry Branch (renamed)"
    official = Official.objects.get(employee_code="E-1")
    assert official.office.code == "LHR-2"
    assert official.designation == "Senior Clerk"
    assert Posting.objects.filter(official=official).count() == 2
    assert office_of_official_on(official=official, day=dt.date(2025, 6, 30)).code == "LHR-1"
    assert "officials transferred 1" in out


def test_running_the_same_file_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path, "Lahore,revenue,LHR-1,Registry Branch,E-1,Rana Nazar,Clerk\n")
    run_import(path)
    out, _, error = run_import(path)
    assert error is None
    assert "offices unchanged 1" in out and "officials unchanged 1" in out
    assert Posting.objects.count() == 1


def test_a_file_without_the_required_columns_imports_nothing(tmp_path):
    path = write_csv(tmp_path, "Lahore,revenue,LHR-1\n", header="district,department,code\n")
    _, _, error = run_import(path)
    assert error is not None
    assert "missing column(s): office_code, office_name" in str(error)
    assert not Office.objects.exists()


def test_excel_bom_upper_case_headers_and_urdu_district_names_are_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            "\ufeff" + HEADER.upper() + "لاہور,revenue,LHR-9,رجسٹری برانچ,E-9,محمد اصغر,کلرک\n"
            "Lahore,REVENUE,LHR-8,Registry,E-8,M. Asghar,Clerk\n"
        ).encode("utf-8")
    )
    _, err, error = run_import(path)
    assert error is None, err
    assert set(Office.objects.filter(district__code="lahore").values_list("code", flat=True)) == {
        "LHR-9",
        "LHR-8",
    }


def test_urdu_office_and_official_names_land_intact(tmp_path):
    path = write_csv(tmp_path, "Lahore,revenue,LHR-9,رجسٹری برانچ,E-9,محمد اصغر,کلرک\n")
    assert run_import(path)[2] is None
    assert Official.objects.get(employee_code="E-9").name == "محمد اصغر"
    assert Office.objects.get(code="LHR-9").name == "رجسٹری برانچ"


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_reason(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + "Lahore,revenue,LHR-1,Caf\xe9,,,\n".encode("latin-1"))
    _, _, error = run_import(path)
    assert error is not None and "not UTF-8" in str(error)


def test_urdu_names_are_imported_kept_when_absent_and_shown_in_urdu(tmp_path, client):
    from django.urls import reverse

    from cfmp.accounts.models import Role
    from tests.factories import UserFactory

    header = HEADER.rstrip("\n") + ",office_name_ur,official_name_ur\n"
    body = "Lahore,revenue,LHR-1,Registry Branch,E-1,Rana Nazar,Clerk,رجسٹری برانچ,رانا نذر\n"
    assert run_import(write_csv(tmp_path, body, header))[2] is None
    office, official = Office.objects.get(code="LHR-1"), Official.objects.get(employee_code="E-1")
    assert (office.name_ur, official.name_ur) == ("رجسٹری برانچ", "رانا نذر")
    # a file without the Urdu columns leaves them as they are
    assert (
        run_import(write_csv(tmp_path, "Lahore,revenue,LHR-1,Registry Br.,E-1,Rana N.,Clerk\n"))[2]
        is None
    )
    office.refresh_from_db()
    assert (office.name, office.name_ur) == ("Registry Br.", "رجسٹری برانچ")
    client.force_login(UserFactory(role=Role.SECRETARIAT, username="s"))
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    page = client.get(reverse("registry:official-list")).content.decode()
    assert "رانا نذر" in page and "رجسٹری برانچ" in page and "Rana N." not in page


def test_the_demo_names_fill_only_what_is_empty():
    from cfmp.registry.names_ur import OFFICES_UR, fill_urdu_names
    from tests.factories import OfficeFactory

    OfficeFactory(code="LHR-REV-AIT")
    OfficeFactory(code="LHR-POL-DLC", name_ur="set by hand")
    assert fill_urdu_names() == 1
    assert Office.objects.get(code="LHR-REV-AIT").name_ur == OFFICES_UR["LHR-REV-AIT"]
    assert Office.objects.get(code="LHR-POL-DLC").name_ur == "set by hand"
