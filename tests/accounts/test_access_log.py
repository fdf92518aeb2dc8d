"""Every look at citizens' identities is written to an append-only log."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cfmp.accounts.models import IdentityView, Role
from cfmp.feedback.models import InboundMessage
from cfmp.feedback.services import classify_message, receive_sms
from tests.outreach.support import queued_sms_attempt


@pytest.fixture
def complaint(world, monkeypatch):
    survey = queued_sms_attempt(monkeypatch, citizen_name="Asif Khan").survey
    message = receive_sms(
        gateway="kannel",
        gateway_message_id="m1",
        sender="03005551234",
        text="clerk ne 2000 liye",
        received_at=survey.created_at,
    ).message
    return classify_message(message_id=message.pk)


@pytest.mark.django_db
def test_identity_roles_viewing_feedback_transactions_and_history_are_logged(
    client, world, complaint
):
    agent = world.users[Role.CALL_CENTRE_AGENT]
    client.force_login(agent)
    client.get(reverse("feedback-list"), REMOTE_ADDR="10.1.2.3")
    client.get(reverse("intake:transaction-list"))
    client.get(reverse("outreach-history"), {"mobile": "03005551234"})
    logged = {row.purpose: row for row in IdentityView.objects.filter(user=agent).order_by("pk")}
    assert set(logged) == {"feedback", "transactions", "contact_history"}
    assert logged["feedback"].object_ids == [complaint.pk]
    assert logged["feedback"].remote_addr == "10.1.2.3"
    assert logged["transactions"].object_ids == [complaint.transaction_id]
    assert logged["contact_history"].object_ids == [complaint.survey_id]
    assert logged["contact_history"].path.startswith(reverse("outreach-history"))


@pytest.mark.django_db
def test_masked_views_and_empty_pages_are_not_logged(client, world, complaint):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    client.get(reverse("feedback-list"))
    client.get(reverse("intake:transaction-list"))
    client.force_login(world.users[Role.SECRETARIAT])
    client.get(reverse("outreach-history"), {"mobile": "03009999999"})
    assert not IdentityView.objects.exists()


@pytest.mark.django_db
def test_the_admin_logs_the_messages_it_shows_and_the_log_is_read_only(client, world, complaint):
    secretariat = world.users[Role.SECRETARIAT]
    client.force_login(secretariat)
    message = InboundMessage.objects.get()
    assert client.get(reverse("admin:feedback_inboundmessage_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:feedback_inboundmessage_change", args=[message.pk])).status_code
        == 200
    )
    rows = list(IdentityView.objects.filter(purpose="admin").values_list("subject", "object_ids"))
    assert rows == [("feedback.inboundmessage", [message.pk])] * 2
    # The secretariat and auditors read the log; nobody may change it.
    log_page = client.get(reverse("admin:accounts_identityview_changelist"))
    assert log_page.status_code == 200 and "feedback.inboundmessage" in log_page.content.decode()
    entry = IdentityView.objects.first()
    assert (
        client.get(reverse("admin:accounts_identityview_delete", args=[entry.pk])).status_code
        == 403
    )
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("admin:accounts_identityview_changelist")).status_code == 403


@pytest.mark.django_db
def test_postgresql_refuses_to_change_or_delete_the_log(world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite: the demo database)")
    entry = IdentityView.objects.create(
        user=world.users[Role.SECRETARIAT],
        viewed_at="2026-11-23T00:00:00Z",
        purpose="feedback",
        subject="feedback.feedback",
        object_ids=[1],
    )
    for change in (
        lambda: IdentityView.objects.filter(pk=entry.pk).update(object_ids=[]),
        lambda: IdentityView.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert IdentityView.objects.get(pk=entry.pk).object_ids == [1]
