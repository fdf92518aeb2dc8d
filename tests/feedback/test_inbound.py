"""Inbound SMS: stored raw once per gateway message, matched to the citizen's survey, STOP
obeyed at once; the gateways' endpoints refuse forged calls."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cfmp.channels.registry import adapter_for
from cfmp.feedback.models import Feedback, InboundMessage
from cfmp.feedback.optout import is_opt_out_request
from cfmp.feedback.services import OPT_OUT_ACKNOWLEDGEMENT, receive_sms
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt, OptOut, Survey
from cfmp.outreach.services import plan_surveys
from tests.outreach.support import SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
REPLY_AT = SMS_DUE + dt.timedelta(minutes=5)
CITIZEN = "+923005551234"


@pytest.fixture
def survey(world, monkeypatch):
    return queued_sms_attempt(monkeypatch).survey


def reply(text, *, message_id="m1", sender="0300-5551234", at=REPLY_AT, gateway="kannel"):
    return receive_sms(
        gateway=gateway, gateway_message_id=message_id, sender=sender, text=text, received_at=at
    )


def test_a_reply_answers_the_citizens_survey(survey):
    received = reply("2 paisay mangay 500")
    assert received.created
    message = received.message
    assert (message.kind, message.survey, message.sender) == ("reply", survey, CITIZEN)
    survey.refresh_from_db()
    assert (survey.state, survey.answered_at) == ("completed", REPLY_AT)


def test_an_answered_survey_sends_nothing_more(survey):
    ContactAttempt.objects.update(state="planned", queued_at=None)
    reply("1")
    assert dispatch.queue_due_attempts(now=SMS_DUE + dt.timedelta(minutes=10)) == []


def test_a_repeated_callback_changes_nothing(survey):
    first = reply("1", message_id="k-77")
    again = reply("1", message_id="k-77", at=REPLY_AT + dt.timedelta(minutes=1))
    assert not again.created and again.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1
    survey.refresh_from_db()
    assert survey.answered_at == REPLY_AT


def test_the_same_id_from_another_gateway_is_another_message(survey):
    reply("1", message_id="7", gateway="kannel")
    assert reply("1", message_id="7", gateway="webhook").created


def test_a_message_from_an_unknown_number_is_kept_as_unsolicited(survey):
    message = reply("mera kaam nahi hua", sender="0321-7654321").message
    assert (message.kind, message.survey, message.sender) == ("unsolicited", None, "+923217654321")


def test_a_reply_after_the_reply_window_is_unsolicited(survey, settings):
    settings.CFMP_REPLY_WINDOW_DAYS = 3
    message = reply("1", at=REPLY_AT + dt.timedelta(days=4)).message
    assert message.kind == "unsolicited"
    survey.refresh_from_db()
    assert survey.state == "active"


def test_a_reply_goes_to_the_latest_survey_of_the_number(survey):
    later = Survey.objects.create(
        transaction=survey.transaction.__class__.objects.create(
            source=survey.transaction.source,
            reference="B",
            occurred_at=survey.transaction.occurred_at,
            service=survey.transaction.service,
            office=survey.transaction.office,
            citizen_name="Asif",
            mobile=CITIZEN,
        ),
        plan=survey.plan,
        mobile=CITIZEN,
        state="active",
        created_at=survey.created_at + dt.timedelta(minutes=1),
    )
    assert reply("1").message.survey == later


def test_stop_opts_out_at_once_and_is_acknowledged_once(survey, django_capture_on_commit_callbacks):
    simulator = adapter_for("sms")
    simulator.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = reply("STOP").message
    with django_capture_on_commit_callbacks(execute=True):
        reply("stop", message_id="m2")
    assert message.kind == "opt_out"
    assert OptOut.objects.get(mobile=CITIZEN).source == "sms"
    assert [(m.to, m.text, m.attempt_id) for m in simulator.sent] == [
        (CITIZEN, OPT_OUT_ACKNOWLEDGEMENT, None)
    ]
    ContactAttempt.objects.update(state="queued")
    assert dispatch.send_attempt(survey.attempts.get().pk, now=SMS_DUE) == "opted out"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", True),
        ("stop please", True),
        ("Band karo", True),
        ("پیغامات بند کریں", True),
        ("sms mat bhejo!", True),
        ("kaam band tha teen din", False),
        ("dont stop the work", False),
        ("", False),
        # Issue 17: asked in other words, in the three styles.
        ("do not contact me again", True),
        ("Please don't message me anymore", True),
        ("take me off this list", True),
        ("میرا نمبر ہٹا دیں", True),
        ("مزید رابطہ نہ کریں", True),
        ("مجھے یہ پیغامات نہیں چاہییں", True),
        ("mera number list se nikal do", True),
        ("aindah msg na bhejna", True),
        ("ab sms nahi chahiye", True),
        ("ميسج بهيجنا بند كريں", True),  # the Arabic keyboard's letters
        # …and what only looks like it: a complaint, a question, a wrong number.
        ("counter band tha, sms ka kya faida", False),
        ("sms mila lekin kaam nahi karwaya", False),
        ("token number nikal ke diya, 3 ghante baad baari ayi", False),
        ("mera number ghalat likha hai record mein", False),
        ("patwari ka number de dein", False),
        ("دفتر بند تھا، میسج کا کیا فائدہ", False),
        ("gaaliyan de kar daftar se nikal diya", False),
        ("wrong number", False),
    ],
)
def test_only_a_request_to_stop_opts_out(text, expected):
    assert is_opt_out_request(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "do not contact me again",
        "میرا نمبر ہٹا دیں",
        "mera number apni list se hata dein",
        "mujhe mazeed sms na bhejain",
        "take me off this list",
        "اس نمبر پر آئندہ رابطہ مت کریں",
    ],
)
def test_a_request_to_stop_in_other_words_opts_the_citizen_out_for_good(
    survey, text, django_capture_on_commit_callbacks
):
    """Issue 17: the phrasings the stop rule did not know. Received as a gateway delivers
    them, each opts the number out at once (classified as an opt-out by the same path as
    every reply), and the number is never surveyed again: not this survey's next send, nor
    a later service's survey."""
    with django_capture_on_commit_callbacks(execute=True):
        message = reply(text).message
    assert message.kind == "opt_out"
    assert OptOut.objects.get(mobile=CITIZEN).note == text
    assert Feedback.objects.get(message=message).category == "opt_out"
    ContactAttempt.objects.update(state="queued")
    assert dispatch.send_attempt(survey.attempts.get().pk, now=SMS_DUE) == "opted out"
    ingest_transactions(
        source=survey.transaction.source,
        items=[
            (
                0,
                TransactionInput(
                    reference="later",
                    occurred_at="2026-04-10T11:00:00+05:00",
                    service="fard",
                    office="LHR-REV",
                    citizen_name="Asif",
                    mobile="0300-5551234",
                ),
            )
        ],
    )
    assert plan_surveys(now=REPLY_AT + dt.timedelta(days=39)) == {"skipped opted_out": 1}
    later = Survey.objects.get(transaction__reference="later")
    assert (later.state, later.skip_reason) == ("skipped", "opted_out")
    assert not later.attempts.exists()


def test_a_complaint_that_mentions_the_sms_does_not_opt_out(
    survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = reply("counter band tha, sms ka kya faida").message
    assert message.kind == "reply"
    assert not OptOut.objects.exists()
    assert Feedback.objects.get(message=message).category != "opt_out"


def test_receive_sms_command_takes_the_same_path(survey, capsys):
    Survey.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    call_command("receive_sms", "--from", "0300 5551234", "--text", "1 shukriya")
    out = capsys.readouterr().out
    message = InboundMessage.objects.get()
    assert message.gateway == "operator" and message.survey == survey
    assert f"stored message {message.pk} from {CITIZEN}: reply, survey {survey.pk}" in out


def test_inbound_messages_in_the_admin_are_for_identity_roles_and_read_only(client, world):
    from cfmp.accounts.models import Role

    receive_sms(gateway="kannel", gateway_message_id="a1", sender=CITIZEN, text="pesay mangay")
    url = reverse("admin:feedback_inboundmessage_changelist")
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(url)
    assert page.status_code == 200 and "pesay mangay" in page.content.decode()
    message = InboundMessage.objects.get()
    change = reverse("admin:feedback_inboundmessage_change", args=[message.pk])
    client.post(change, {"text": "edited", "kind": "reply", "sender": CITIZEN})
    message.refresh_from_db()
    assert message.text == "pesay mangay"
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # staff: the admin opens, empty
    page = client.get(url)
    assert page.status_code == 200 and "pesay mangay" not in page.content.decode()
