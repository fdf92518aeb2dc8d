"""Home per role (issue 22): what needs this person now, each figure linking to the list of
exactly those rows; plurals in words; offices by name."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.models import Case
from cfmp.cases.services import file_complaints
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


def figure(page: str, words: str) -> tuple[int, str]:
    """The count and link of the home's item with these words."""
    match = re.search(rf'<a href="([^"]+)"><strong>(\d+)</strong> {re.escape(words)}</a>', page)
    assert match, words
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_a_district_officer_sees_their_overdue_and_due_cases_and_reaches_them(client, world):
    file_complaints(feedback_ids=[complaint().pk, complaint("LHR-POL", official="LHR-POL-1").pk])
    lahore = Case.objects.get(office=world.lahore_revenue)
    Case.objects.filter(pk=lahore.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    police = Case.objects.get(office=world.lahore_police)
    Case.objects.filter(pk=police.pk).update(due_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(reverse("home")).content.decode()
    overdue, url = figure(page, "of my cases is overdue")
    assert overdue == 1
    listed = client.get(url).content.decode()
    assert f'href="{reverse("cases:detail", args=[lahore.pk])}"' in listed
    assert f'href="{reverse("cases:detail", args=[police.pk])}"' not in listed
    due, url = figure(page, "of my cases is due this week")
    assert due == 1
    listed = client.get(url).content.decode()
    assert f'href="{reverse("cases:detail", args=[police.pk])}"' in listed
    assert f'href="{reverse("cases:detail", args=[lahore.pk])}"' not in listed


def test_the_office_heads_home_says_one_department_in_the_singular(client, world):
    client.force_login(world.users[Role.OFFICE_HEAD])
    page = client.get(reverse("home")).content.decode()
    assert "1 departments" not in re.sub(r"<[^>]+>", "", page).replace("\n", " ")
    assert "</strong> department</li>" in page


def test_queues_for_the_roles_that_work_them(client, world):
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    page = client.get(reverse("home")).content.decode()
    count, url = figure(page, "citizens wait for a call")
    assert count == 0 and url == reverse("call-console")
    client.force_login(world.users[Role.OFFICE_HEAD])
    assert "wait for a call" not in client.get(reverse("home")).content.decode()


def test_posts_nobody_holds_name_offices_not_codes(client, world):
    world.lahore_revenue.name = "Lahore Revenue Office"
    world.lahore_revenue.save()
    from cfmp.accounts.models import User

    User.objects.filter(role=Role.DISTRICT_OFFICER).update(is_active=False)
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("home")).content.decode()
    gaps = page[page.index('id="routing-gaps"') :]
    assert "Lahore Revenue Office" in gaps and "LHR-REV" not in gaps


def test_below_the_identity_roles_overdue_is_judged_by_the_due_date_shown(client, world, settings):
    """The exact due moment is the opening minute plus whole days: a count or filter that
    flips at that moment would date the opening to the minute. Below the identity roles
    a case is overdue once the due date the page shows has passed."""
    from cfmp.intake.models import Transaction
    from tests.cases.support import transaction_at

    settings.CFMP_ANONYMITY_K = 5
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    now = timezone.now()
    opened = timezone.localtime(now - dt.timedelta(days=40)).replace(hour=10, minute=0)
    for _ in range(5):  # five more of the official's citizens that day: shown by the day
        transaction_at("LHR-REV", official="LHR-REV-1")
    for hour, tx in enumerate(Transaction.objects.order_by("pk")):
        Transaction.objects.filter(pk=tx.pk).update(occurred_at=opened + dt.timedelta(hours=hour))
    Case.objects.filter(pk=case.pk).update(opened_at=opened, due_at=now - dt.timedelta(minutes=1))
    client.force_login(world.users[Role.SECRETARIAT])
    secretariat_sees = client.get(reverse("cases:list"), {"overdue": "true"}).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in secretariat_sees
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    listed = client.get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in listed  # shown, by the day
    page = client.get(reverse("home")).content.decode()
    assert figure(page, "of my cases are overdue")[0] == 0  # due by the day's end + 40 days
    overdue = client.get(reverse("cases:list"), {"overdue": "true"}).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' not in overdue
