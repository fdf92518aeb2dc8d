"""Report pages: the catalogue, one report with its chart and exports, in the user's scope."""

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.reports.rollups import rebuild_rollups
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


def test_the_catalogue_links_every_report(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(reverse("reports:catalogue")).content.decode()
    assert "312 reports" in page
    assert reverse("reports:report", args=["bribe-rate-by-official-week"]) in page


def test_a_report_page_shows_the_scoped_table_chart_and_exports(client, world):
    complaint("LHR-REV"), complaint("MUL-REV", official="MUL-REV-1")
    rebuild_rollups()
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    url = reverse("reports:report", args=["complaints-by-office-range"])
    page = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert world.lahore_revenue.name in page and world.multan_revenue.name not in page
    assert "<svg" in page and "<rect" in page
    export = client.get(
        reverse("reports:download", args=["complaints-by-office-range", "csv"]),
        {"from": "2026-03-01", "to": "2026-03-31"},
    )
    assert export["Content-Disposition"].startswith(
        'attachment; filename="complaints-by-office-range_2026-03-01_2026-03-31.csv"'
    )
    assert world.lahore_revenue.name in export.content.decode("utf-8-sig")
    assert client.get(reverse("reports:report", args=["no-such-report"])).status_code == 404
    assert (
        client.get(
            reverse("reports:download", args=["complaints-by-office-range", "exe"])
        ).status_code
        == 404
    )
