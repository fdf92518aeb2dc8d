"""Domain events: published by name, delivered on commit (or in the producer's transaction),
subscribed in the apps' ready()."""

import pytest
from django.db import transaction

from cfmp.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard(monkeypatch):
    got: list[dict] = []
    monkeypatch.setitem(events._handlers, events.FEEDBACK_RECORDED, [lambda **kw: got.append(kw)])
    return got


def test_an_event_is_heard_once_its_transaction_commits(heard):
    with transaction.atomic():
        events.publish(events.FEEDBACK_RECORDED, feedback_ids=[7])
        assert heard == []  # not before the commit
    assert heard == [{"feedback_ids": [7]}]


def test_an_event_of_a_rolled_back_transaction_is_never_heard(heard):
    def rolled_back() -> None:
        with transaction.atomic():
            events.publish(events.FEEDBACK_RECORDED, feedback_ids=[7])
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        rolled_back()
    assert heard == []


def test_an_event_in_the_transaction_is_heard_at_once(heard):
    with transaction.atomic():
        events.publish_in_transaction(events.FEEDBACK_RECORDED, feedback_ids=[8])
        assert heard == [{"feedback_ids": [8]}]


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="no such event"):
        events.publish("feedback_recordd", feedback_ids=[1])


def test_the_apps_subscribe_in_ready():
    from cfmp.cases.subscriptions import file_complaints_later, withdraw_corrected_evidence
    from cfmp.feedback.callcentre import record_keypad_answer

    assert file_complaints_later in events.handlers(events.FEEDBACK_RECORDED)
    assert withdraw_corrected_evidence in events.handlers(events.FEEDBACK_CORRECTED)
    assert record_keypad_answer in events.handlers(events.CALL_KEY_PRESSED)
