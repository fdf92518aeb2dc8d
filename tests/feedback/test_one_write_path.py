"""However a citizen answers — an SMS reply, a robocall's key, an agent's call, a kiosk visit —
the answer becomes feedback through `record_feedback`, which publishes `feedback_recorded`
once the transaction commits (cases files complaints on it)."""

import pytest

from cfmp.accounts.models import Role
from cfmp.core import events
from cfmp.feedback import callcentre
from cfmp.feedback.models import Feedback
from cfmp.outreach.models import Channel, ContactAttempt
from cfmp.outreach.voice.results import record_call_digit
from tests.channels.webhook.test_webhook import REPLY_AT, post_json
from tests.feedback.test_call_centre import ANSWERS_BRIBE, NOW, survey_citizens
from tests.kiosk.test_kiosk import kiosk, post, visit  # noqa: F401 (a fixture)
from tests.outreach.support import queued_sms_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """The feedback ids each `feedback_recorded` event carried, in order."""
    seen: list[list[int]] = []
    listeners = [
        *events.handlers(events.FEEDBACK_RECORDED),
        lambda feedback_ids: seen.append(feedback_ids),
    ]
    monkeypatch.setitem(events._handlers, events.FEEDBACK_RECORDED, listeners)
    return seen


def test_an_sms_reply_becomes_feedback_and_is_announced(
    client, world, monkeypatch, published, django_capture_on_commit_callbacks
):
    queued_sms_attempt(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        payload = {"id": "w1", "from": "03005551234", "text": "2 clerk ne 500 liye",
                   "received_at": REPLY_AT.isoformat()}  # fmt: skip
        assert post_json(client, payload).status_code == 201
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.message.gateway_message_id) == ("sms", "w1")
    assert published == [[feedback.pk]]


def test_a_robocall_key_becomes_feedback_and_is_announced(
    world, published, django_capture_on_commit_callbacks
):
    (survey,) = survey_citizens("03001110001")
    attempt = ContactAttempt.objects.get(survey=survey, channel=Channel.VOICE)
    with django_capture_on_commit_callbacks(execute=True):
        assert record_call_digit(attempt_id=attempt.pk, digit="2")
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.attempt_id, feedback.keypad_digit) == (
        "ivr",
        attempt.pk,
        "2",
    )
    assert published == [[feedback.pk]]
    with django_capture_on_commit_callbacks(execute=True):  # a repeated report: nothing new
        assert not record_call_digit(attempt_id=attempt.pk, digit="2")
    assert Feedback.objects.count() == 1 and len(published) == 1


def test_an_agents_call_becomes_feedback_and_is_announced(
    world, published, django_capture_on_commit_callbacks
):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        call = callcentre.record_call(
            request=request, agent=agent, outcome="answered", answers=ANSWERS_BRIBE, now=NOW
        )
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.call_id, feedback.category) == ("agent", call.pk, "bribe")
    assert published == [[feedback.pk]]


def test_a_kiosk_visit_becomes_feedback_and_is_announced(
    client,
    kiosk,  # noqa: F811 (the fixture)
    published,
    django_capture_on_commit_callbacks,
):
    _, key = kiosk
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, key, visit(rating="delay")).status_code == 201
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.category) == ("kiosk", "delay")
    assert published == [[feedback.pk]]


def test_nothing_is_recorded_for_an_unknown_category(world):
    from cfmp.feedback.services import record_feedback

    with pytest.raises(ValueError, match="unknown category"):
        record_feedback(channel="sms", category="praise")
    assert not Feedback.objects.exists()
