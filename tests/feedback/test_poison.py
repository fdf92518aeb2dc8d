"""One poison reply never stops classification (issue 18): the rest of its push is
classified, it is quarantined with its reason, and the sweep behind it keeps working."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.channels.webhook.auth import body_signature
from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.feedback import amounts
from cfmp.feedback.models import Feedback, InboundMessage
from cfmp.feedback.services import classify_pending

pytestmark = pytest.mark.django_db
# Replies that once raised in the parsers or overflowed on save, and stopped the sweep.
ONCE_POISON = [
    "clerk ne ²⁰⁰⁰ rupay liye",
    "①②③ rupay mangay",
    "patwari ne 99999999999999999999999 rupay liye",
    "rishwat " + "9" * 400 + " hazar",
    "٥٠٠٠ روپے لیے",
    "पाँच ५०० rupay diye",
]


def push(client, texts, capture):
    messages = [
        {"id": f"p{n}", "from": f"0300{n:07d}", "text": text} for n, text in enumerate(texts)
    ]
    body = json.dumps({"messages": messages}).encode()
    with capture(execute=True):  # the classification task runs when the push commits
        response = client.post(
            reverse("sms-webhook"), body, content_type="application/json",
            headers={"X-CFMP-Signature": body_signature(body)},
        )  # fmt: skip
    assert response.status_code == 200
    return response


def texts_with(poison: list[str], total: int = 100) -> list[str]:
    ordinary = [
        f"{n} shukriya, kaam ho gaya" if n % 3 else "patwari ne 2000 liye" for n in range(total)
    ]
    return poison + ordinary[: total - len(poison)]


def test_replies_that_once_stopped_classification_are_classified_with_their_push(
    client, django_capture_on_commit_callbacks
):
    push(client, texts_with(ONCE_POISON), django_capture_on_commit_callbacks)
    assert Feedback.objects.count() == 100
    assert not QuarantinedItem.objects.exists()
    amounts_by_text = dict(Feedback.objects.values_list("message__text", "bribe_amount"))
    assert amounts_by_text["٥٠٠٠ روپے لیے"] == 5000
    assert amounts_by_text["clerk ne ²⁰⁰⁰ rupay liye"] is None  # no number a citizen writes
    assert amounts_by_text["patwari ne 99999999999999999999999 rupay liye"] is None


@pytest.fixture
def poison_breaks_the_parser(monkeypatch):
    """A fault nobody has found yet: the amount reader raises on one reply's text."""
    real = amounts.bribe_amount

    def faulty(text):
        if "POISON" in text:
            raise OverflowError("cannot convert float infinity to integer")
        return real(text)

    monkeypatch.setattr("cfmp.feedback.classifier.bribe_amount", faulty)
    return monkeypatch


def test_one_poison_reply_in_a_push_of_100_leaves_99_classified_and_the_sweep_healthy(
    client, django_capture_on_commit_callbacks, poison_breaks_the_parser, settings
):
    settings.CFMP_QUARANTINE_MAX_ATTEMPTS = 3
    texts = texts_with([])
    texts[0] = "POISON rishwat 500 rupay"  # the oldest: the one every sweep picks first
    push(client, texts, django_capture_on_commit_callbacks)

    poison = InboundMessage.objects.get(text__startswith="POISON")
    assert Feedback.objects.count() == 99
    assert not Feedback.objects.filter(message=poison).exists()
    kept = QuarantinedItem.objects.get()
    assert (kept.pipeline, kept.item, kept.state, kept.attempts) == (
        Pipeline.CLASSIFICATION, str(poison.pk), "retrying", 1,
    )  # fmt: skip
    assert "OverflowError" in kept.error and kept.next_try_at > timezone.now()

    # Later replies: the sweep leaves the poison alone until it is due, and classifies them.
    later = InboundMessage.objects.create(
        gateway="webhook", gateway_message_id="later", sender="+923001112222", text="shukriya",
        received_at=timezone.now(), kind="unsolicited",
    )  # fmt: skip
    assert classify_pending(older_than=dt.timedelta(0)) == 1
    assert Feedback.objects.filter(message=later).exists()
    assert classify_pending(older_than=dt.timedelta(0)) == 0

    # Due again: tried, fails again, backs off longer; at the limit it is left failed.
    for attempts in (2, 3):
        QuarantinedItem.objects.update(next_try_at=timezone.now() - dt.timedelta(seconds=1))
        assert classify_pending(older_than=dt.timedelta(0)) == 0
        kept.refresh_from_db()
        assert kept.attempts == attempts
    assert kept.state == "failed" and kept.next_try_at is None
    assert classify_pending(older_than=dt.timedelta(0)) == 0  # and the sweep still runs

    # The fault fixed and the secretariat's "try again": classified, out of quarantine.
    poison_breaks_the_parser.undo()
    from cfmp.core.quarantine import retry_now

    retry_now(QuarantinedItem.objects.all())
    assert classify_pending(older_than=dt.timedelta(0)) == 1
    assert Feedback.objects.get(message=poison).category == "bribe"
    assert not QuarantinedItem.objects.exists()
