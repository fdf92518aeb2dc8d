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


def test_outreach_summary_counts_answers_by_office_and_by_service(world, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from cfmp.feedback.services import receive_sms
    from cfmp.outreach.models import ContactAttempt, Survey
    from cfmp.outreach.selectors import outreach_summary

    attempt = queued_sms_attempt(monkeypatch)
    now = timezone.now()
    ContactAttempt.objects.filter(pk=attempt.pk).update(due_at=now, state="delivered")
    Survey.objects.update(created_at=now - dt.timedelta(minutes=5))
    receive_sms(gateway="kannel", gateway_message_id="1", sender="03005551234", text="1")
    secretariat = world.users[Role.SECRETARIAT]
    period = {"start": now - dt.timedelta(days=1), "end": now + dt.timedelta(days=1)}
    by_office = outreach_summary(secretariat, by="office", **period)
    assert [(r["code"], r["delivered"], r["answered"]) for r in by_office] == [("LHR-REV", 1, 1)]
    by_service = outreach_summary(secretariat, by="service", **period)
    assert [(r["code"], r["sent"], r["answered"]) for r in by_service] == [("fard", 0, 1)]
    head = world.users[Role.OFFICE_HEAD]  # MUL-HLT: nothing of Lahore's
    assert outreach_summary(head, by="service", **period) == []


def test_outreach_page_groups_by_service_on_request(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    body = client.get(reverse("outreach-overview"), {"by": "service"}).content.decode()
    assert "Outreach by service" in body and "Answered" in body
