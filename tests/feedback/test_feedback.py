"""Every reply becomes one classified feedback, tied to its transaction; a reply that
arrived while no worker ran is classified by the sweep; uncertain ones await review."""

import datetime as dt

import pytest

from cfmp.feedback.models import CallRequest, Feedback
from cfmp.feedback.services import (
    classify_message,
    classify_messages,
    classify_pending,
    receive_sms,
)
from tests.outreach.support import SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
AT = SMS_DUE + dt.timedelta(minutes=5)


@pytest.fixture
def survey(world, monkeypatch):
    return queued_sms_attempt(monkeypatch).survey


def reply(text, message_id="m1"):
    return receive_sms(
        gateway="kannel",
        gateway_message_id=message_id,
        sender="03005551234",
        text=text,
        received_at=AT,
    ).message


def test_a_reply_becomes_classified_feedback_about_its_transaction(
    survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = reply("tehsil office mein clerk ne 3000 rupay rishwat li")
    feedback = Feedback.objects.get()
    assert (feedback.message, feedback.survey) == (message, survey)
    assert feedback.transaction == survey.transaction
    assert (feedback.channel, feedback.category, feedback.bribe_amount) == ("sms", "bribe", 3000)
    assert 0 < feedback.confidence <= 1


def test_a_repeated_callback_or_task_makes_one_feedback(survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = reply("1", message_id="k1")
        reply("1", message_id="k1")
    assert classify_message(message_id=message.pk) == Feedback.objects.get()
    assert Feedback.objects.get().category == "satisfied"


def test_a_stop_is_opt_out_feedback(survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reply("STOP")
    feedback = Feedback.objects.get()
    assert (feedback.category, feedback.confidence, feedback.needs_review) == (
        "opt_out",
        1.0,
        False,
    )


def test_replies_that_arrived_while_no_worker_ran_are_classified_by_the_sweep(survey):
    reply("bohat der lagi, teen chakkar lagaye")  # no commit callbacks: no task ran
    reply("kon?", message_id="m2")
    assert not Feedback.objects.exists()
    assert classify_pending(older_than=dt.timedelta(0)) == 2
    assert set(Feedback.objects.values_list("category", flat=True)) == {"delay", "unclear"}
    assert classify_pending(older_than=dt.timedelta(0)) == 0


def test_an_uncertain_classification_awaits_review(survey, settings):
    settings.CFMP_REVIEW_BELOW = 0.999
    message = reply("kuch khas nahi")
    assert classify_message(message_id=message.pk).needs_review
    settings.CFMP_REVIEW_BELOW = 0.0
    other = reply("kuch khas nahi", message_id="m2")
    assert not classify_message(message_id=other.pk).needs_review


def test_many_replies_are_classified_in_one_pass_once(survey):
    ids = [
        reply(text, message_id=f"m{n}").pk
        for n, text in enumerate(["1 shukriya", "patwari ne 2000 liye", "ye kya hai?"])
    ]
    assert classify_messages(message_ids=ids) == 3
    assert classify_messages(message_ids=ids) == 0
    categories = dict(Feedback.objects.values_list("message_id", "category"))
    assert [categories[pk] for pk in ids] == ["satisfied", "bribe", "unclear"]
    assert Feedback.objects.get(category="bribe").bribe_amount == 2000
    assert CallRequest.objects.get().about_feedback.category == "unclear"


def test_a_classification_task_takes_on_the_backlog_behind_it(survey):
    ids = [reply(f"{n} din se chakkar laga raha hun", message_id=f"b{n}").pk for n in range(5)]
    assert classify_messages(message_ids=[ids[0]]) == 1  # its own reply only
    assert classify_messages(message_ids=[ids[1]], with_backlog=True) == 4  # and those after
    assert Feedback.objects.count() == 5
    assert classify_messages(message_ids=[ids[4]], with_backlog=True) == 0
