"""The secretariat sees quarantined items in the admin with their reasons and can have them
tried again; no other role sees them (they may hold what a citizen sent)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.core.quarantine import record_failure

pytestmark = pytest.mark.django_db


def test_the_secretariat_sees_quarantined_items_and_tries_them_again(client, world, settings):
    settings.CFMP_QUARANTINE_MAX_ATTEMPTS = 1
    row = record_failure(pipeline=Pipeline.CLASSIFICATION, item="42", error="OverflowError: x")
    assert row.state == "failed"
    client.force_login(world.users[Role.SECRETARIAT])
    url = reverse("admin:core_quarantineditem_changelist")
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "OverflowError: x" in page.content.decode()
        and "classifying SMS replies" in page.content.decode()
    )
    client.post(url, {"action": "try_again", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == "retrying" and row.next_try_at <= timezone.now()
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER):
        client.force_login(world.users[role])
        assert client.get(url).status_code in (302, 403)
    assert QuarantinedItem.objects.count() == 1
