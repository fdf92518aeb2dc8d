"""Hostile query strings on the admin's lists (filters, search, paging, the date
drill-down) never answer 500 (issue 18); a drill-down outside the calendar is a 400 naming
the parameter."""

import pytest

from cfmp.accounts.models import Role

pytestmark = pytest.mark.django_db
MESSAGES = "/admin/feedback/inboundmessage/"


@pytest.mark.parametrize(
    "query",
    [
        "received_at__year=99999",
        "received_at__year=0&received_at__month=13",
        "id__gt=99999999999999999999999",
        "p=99999999999999999999999",
        "o=99999999999999999999",
        "q=%F0%9F%98%80%D8%00",
        "gateway=%F0%9F%98%80",
        "received_at__gte=0001-01-01",
    ],
)
def test_hostile_admin_query_strings_never_answer_500(client, world, query):
    client.force_login(world.users[Role.SECRETARIAT])
    assert client.get(f"{MESSAGES}?{query}").status_code < 500


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (
            f"{MESSAGES}?received_at__year=2026&received_at__month=99999999999999999999",
            "received_at__month",
        ),
        ("/admin/cases/caseevent/?at__year=9999&at__month=12&at__day=31", "at__year"),
        (f"{MESSAGES}?q=%00", "q"),
    ],
)
def test_a_drill_down_outside_the_calendar_is_refused_by_name(client, world, url, field):
    client.force_login(world.users[Role.SECRETARIAT])
    response = client.get(url)
    assert response.status_code == 400 and response.content.decode().startswith(f"{field}: ")
