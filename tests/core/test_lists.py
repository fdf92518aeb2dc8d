"""Lists (issue 22): paged on the server with filters, search and sort kept in the URL;
exports of what is shown, neutralised and identity-logged; below the identity roles no sort
or filter finer than the shown period."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cfmp.accounts.models import IdentityView, Role
from cfmp.feedback.models import Feedback
from cfmp.intake.models import Transaction
from tests.cases.support import transaction_at

pytestmark = pytest.mark.django_db


def replies(n: int, *, office: str = "LHR-REV", category: str = "delay", note: str = "late"):
    """n complaints about this office, spread over the past months (old enough to be listed)."""
    made = []
    for i in range(n):
        tx = transaction_at(office)
        made.append(Feedback.objects.create(channel="agent", transaction=tx, category=category,
                                            confidence=1.0, note=f"{note} {i}"))  # fmt: skip
    start = timezone.now() - dt.timedelta(days=200)
    for i, item in enumerate(made):
        at = start + dt.timedelta(hours=7 * i)
        Feedback.objects.filter(pk=item.pk).update(created_at=at)
        Transaction.objects.filter(pk=item.transaction_id).update(occurred_at=at)
    return made


def links(page: str, rel: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(rf'rel="{rel}" href="([^"]+)"', page)]


def test_feedback_pages_keep_their_filters(client, world):
    replies(60, category="delay")
    replies(5, category="bribe", office="LHR-POL")
    client.force_login(world.users[Role.SECRETARIAT])
    first = client.get(reverse("feedback-list"), {"category": "delay", "office": "LHR-REV"})
    text = first.content.decode()
    assert "60 rows" in text and "Page 1 of 2" in text
    (following,) = links(text, "next")
    assert "category=delay" in following and "office=LHR-REV" in following
    second = client.get(reverse("feedback-list") + following).content.decode()
    assert "Page 2 of 2" in second and second.count('class="complaint"') == 10
    assert "bribe" not in second.split("<tbody>")[1]


def test_feedback_search_sort_and_a_refused_filter(client, world):
    replies(3, note="mobile lost")
    replies(2, note="stamp paper")
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("feedback-list"), {"q": "stamp"}).content.decode()
    assert "2 rows" in page and "mobile lost" not in page
    oldest_first = client.get(reverse("feedback-list"), {"sort": "received"}).content.decode()
    assert oldest_first.index("mobile lost 0") < oldest_first.index("stamp paper 1")
    newest_first = client.get(reverse("feedback-list"), {"sort": "-received"}).content.decode()
    assert newest_first.index("stamp paper 1") < newest_first.index("mobile lost 0")
    refused = client.get(reverse("feedback-list"), {"category": "nonsense"}).content.decode()
    assert "0 rows" in refused


def test_below_the_identity_roles_no_sort_or_filter_finer_than_a_month(client, world, settings):
    settings.CFMP_ANONYMITY_K = 5
    replies(6)
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(reverse("feedback-list")).content.decode()
    assert "6 rows" in page and "week of" in page
    assert 'name="since"' in page and 'type="month"' in page and 'type="date"' not in page
    # the words are not searched (they are read masked): a search for them finds nothing
    assert "0 rows" in client.get(reverse("feedback-list"), {"q": "late"}).content.decode()
    # sorting by an exact time is not offered; asked for, the month order is used
    assert "sort=service" not in page
    by_day = client.get(reverse("feedback-list"), {"since": "2026-01-15"}).content.decode()
    assert "0 rows" in by_day  # a day is not a month: refused, never applied


def test_feedback_export_is_what_is_shown_neutralised_and_logged(client, world):
    replies(3, note="=HYPERLINK(evil)")
    replies(2, category="bribe")
    client.force_login(world.users[Role.SECRETARIAT])
    response = client.get(reverse("feedback-list"), {"category": "delay", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Received" and len(rows) == 4
    assert all(row[3].startswith("'=HYPERLINK") for row in rows[1:])
    log = IdentityView.objects.get(purpose=IdentityView.Purpose.LIST_EXPORT)
    assert len(log.object_ids) == 3
    xlsx = client.get(reverse("feedback-list"), {"category": "bribe", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3


def test_transactions_search_filter_and_export(client, world):
    for _ in range(3):
        transaction_at("LHR-REV")
    transaction_at("LHR-POL")
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("intake:transaction-list"), {"office": "LHR-POL"}).content.decode()
    assert "1 row" in page
    found = client.get(reverse("intake:transaction-list"), {"q": "Asif"}).content.decode()
    assert "4 rows" in found  # the secretariat searches citizens' names
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    hidden = client.get(reverse("intake:transaction-list"), {"q": "Asif"}).content.decode()
    assert "0 rows" in hidden  # others do not: a search would tell them the name
    exported = client.get(reverse("intake:transaction-list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 5 and all(row[5] == "" for row in rows[1:])  # names not exported


def test_cases_pager_keeps_its_filters(client, world):
    from tests.cases.support import complaint

    for _ in range(3):
        complaint("LHR-REV", official="LHR-REV-1")
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("cases:list"), {"state": "active", "sort": "office"})
    assert page.status_code == 200
    assert 'value="office"' in page.content.decode()  # the sort is kept by the filter form


def test_a_new_complaint_still_held_is_never_counted_even_between_pages(client, world, settings):
    settings.CFMP_ANONYMITY_K = 5
    replies(6)
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert "6 rows" in client.get(reverse("feedback-list")).content.decode()
    tx = transaction_at("LHR-REV")
    Transaction.objects.filter(pk=tx.pk).update(occurred_at=timezone.now())
    Feedback.objects.create(channel="agent", transaction=tx, category="bribe", confidence=1.0)
    page = client.get(reverse("feedback-list")).content.decode()
    assert "6 rows" in page  # held (its period has not ended): not counted, not listed
    client.force_login(world.users[Role.SECRETARIAT])
    assert "7 rows" in client.get(reverse("feedback-list")).content.decode()
