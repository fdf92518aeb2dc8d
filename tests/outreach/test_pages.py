import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from tests.outreach.support import queued_sms_attempt

pytestmark = pytest.mark.django_db


def test_outreach_overview_counts_attempts_per_office_in_scope(
    client, world, monkeypatch, settings
):
    from django.utils import timezone

    attempt = queued_sms_attempt(monkeypatch)
    # Move the attempt into the page's period (the helper's fixed dates are in March 2026).
    attempt.__class__.objects.filter(pk=attempt.pk).update(due_at=timezone.now())
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore: sees LHR-REV
    body = client.get(reverse("outreach-overview")).content.decode()
    assert "LHR-REV" in body
    client.force_login(world.users[Role.OFFICE_HEAD])  # MUL-HLT
    body = client.get(reverse("outreach-overview")).content.decode()
    assert "LHR-REV" not in body


def test_contact_history_is_for_identity_roles_only(client, world, monkeypatch):
    queued_sms_attempt(monkeypatch)
    url = reverse("outreach-history")
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    body = client.get(url, {"mobile": "0300 555 1234"}).content.decode()
    assert "Fard" in body and "queued" in body
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(url, {"mobile": "0300 555 1234"}).status_code == 403
