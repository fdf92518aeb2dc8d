"""The command centre: today's figures, live, with drill-down to masked feedback."""

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from tests.cases.support import complaint
from tests.factories import district

pytestmark = pytest.mark.django_db


def test_the_command_centre_shows_today_and_drills_down_to_masked_feedback(client, world):
    (
        complaint("LHR-REV"),
        complaint("LHR-REV", category="satisfied"),
        complaint("MUL-REV", official="MUL-REV-1"),
    )
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:command-centre")).content.decode()
    assert 'hx-trigger="every 10s"' in page
    lahore = world.lahore_revenue.district
    assert f"level=district&amp;key={lahore.pk}" in page and "Lahore" in page and "Multan" in page
    assert "clerk ne 2000 liye" in page and "0300-1234567" not in page and "Asif" not in page
    live = client.get(
        reverse("reports:command-centre-live"), {"level": "district", "key": lahore.pk}
    )
    content = live.content.decode()
    assert "<html" not in content  # a fragment for htmx
    assert world.lahore_revenue.name in content and world.multan_revenue.name not in content
    tiles = content.split("replies today")[0]
    assert "<strong>2</strong>" in tiles  # two replies about Lahore today
    office = client.get(
        reverse("reports:command-centre"), {"level": "office", "key": world.lahore_revenue.pk}
    )
    assert world.officials["LHR-REV"].name in office.content.decode()
    official = client.get(
        reverse("reports:command-centre"),
        {"level": "official", "key": world.officials["LHR-REV"].pk},
    )
    assert (
        reverse("cases:official", args=[world.officials["LHR-REV"].pk]) in official.content.decode()
    )


def test_only_the_secretariat_and_auditors_see_the_command_centre(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("reports:command-centre")).status_code == 403
    client.force_login(world.users[Role.AUDITOR])
    assert client.get(reverse("reports:command-centre")).status_code == 200
    assert client.get(reverse("reports:command-centre"), {"level": "district"}).status_code == 404


def test_below_the_identity_roles_todays_counts_are_not_live(client, world, settings):
    """An auditor's command centre does not count today's replies, complaints and bribe
    reports (a count going from 0 to 1 would date a complaint), nor lists only the offices
    someone replied about; the secretariat's does."""
    settings.CFMP_ANONYMITY_K = 5
    complaint("LHR-REV")
    complaint("LHR-REV", category="delay")
    lahore = world.lahore_revenue.district
    query = {"level": "district", "key": lahore.pk}

    client.force_login(world.users[Role.SECRETARIAT])
    live = client.get(reverse("reports:command-centre-live"), query).content.decode()
    assert "<strong>2</strong>complaints today" in " ".join(live.split())
    assert world.lahore_police.name not in live.split("<h2>")[0]  # nobody replied about it

    client.force_login(world.users[Role.AUDITOR])
    live = client.get(reverse("reports:command-centre-live"), query).content.decode()
    tiles = " ".join(live.split("<h2>")[0].split())
    for label in ("replies today", "complaints today", "bribe reports today"):
        assert f"<strong>—</strong>{label}" in tiles
    breakdown = live.split("<h2>")[0]
    police, revenue = world.lahore_police.name, world.lahore_revenue.name
    assert police in breakdown and revenue in breakdown  # every office, replied about or not
    assert breakdown.index(min(police, revenue)) < breakdown.index(max(police, revenue))
    assert "<td>2</td>" not in breakdown and "<td>1</td>" not in breakdown


def test_in_urdu_the_command_centre_names_the_province_and_a_district_in_urdu(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    client.cookies["django_language"] = "ur"
    province = client.get("/reports/command-centre/").content.decode()
    assert "پنجاب" in province and "Punjab</" not in province
    lahore = district("lahore")
    page = client.get(f"/reports/command-centre/?level=district&key={lahore.pk}").content.decode()
    assert lahore.name_ur in page.split("</h1>")[0]
