"""The send path's guarantees, with failures injected at each step: a duplicated or lost
task, a gateway error, a worker killed mid-send, a repeated delivery report."""

import datetime as dt

import pytest
from django.utils import timezone

from cfmp.channels.base import Accepted, ChannelError, DeliveryReport
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt, OptOut
from tests.outreach.support import PKT, SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
# What gateways' reports say, as each channel type parses them (tests/channels/<type>/).
DELIVERED = DeliveryReport("delivered")
SUBMITTED = DeliveryReport("submitted")
UNDELIVERABLE = DeliveryReport("failed", "undeliverable", retryable=True)
REJECTED = DeliveryReport("failed", "rejected by the SMSC")


class FakeGateway:
    """Records what it is asked to send; can fail or 'die' on demand."""

    def __init__(self):
        self.sent = []
        self.fail = None

    def send(self, message):
        if self.fail is not None:
            raise self.fail
        self.sent.append(message)
        return Accepted(gateway_id=f"gw-{len(self.sent)}")


@pytest.fixture
def gateway():
    return FakeGateway()


@pytest.fixture
def sms_attempt(world, settings, monkeypatch):
    settings.CFMP_CONTACT_MAX_TRIES = 2
    return queued_sms_attempt(monkeypatch)


def send(attempt, gateway, now=SMS_DUE):
    return dispatch.send_attempt(attempt.pk, now=now, channel_for=lambda channel: gateway)


def state(attempt):
    attempt.refresh_from_db()
    return attempt.state


def test_a_queued_sms_is_sent_once_and_its_delivery_recorded(sms_attempt, gateway):
    assert send(sms_attempt, gateway) == "submitted"
    assert state(sms_attempt) == "submitted"
    assert sms_attempt.gateway_id == "gw-1"
    assert gateway.sent[0].to == "+923005551234"
    assert gateway.sent[0].text.startswith("Asif, you received Fard (Record of Rights) at")
    assert dispatch.record_delivery_report(attempt_id=sms_attempt.pk, delivered=True)
    assert state(sms_attempt) == "delivered"


def test_a_task_delivered_twice_sends_once(sms_attempt, gateway):
    send(sms_attempt, gateway)
    assert send(sms_attempt, gateway) == "not queued"
    assert len(gateway.sent) == 1


def test_a_task_lost_by_the_broker_is_queued_again_and_sent_once(
    sms_attempt, gateway, django_capture_on_commit_callbacks, monkeypatch
):
    requeued = []
    monkeypatch.setattr(dispatch, "_enqueue_sends", lambda ids, **kwargs: requeued.extend(ids))
    later = SMS_DUE + dt.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch.recover_attempts(now=later) == {
            "requeued": 1,
            "unknown": 0,
            "unconfirmed": 0,
            "calls_lost": 0,
        }
    assert requeued == [sms_attempt.pk]
    send(sms_attempt, gateway, now=later)
    send(sms_attempt, gateway, now=later)  # the original task turns up after all
    assert len(gateway.sent) == 1


def test_a_worker_killed_mid_send_never_sends_twice_and_its_report_still_lands(
    sms_attempt, gateway
):
    gateway.fail = KeyboardInterrupt()  # the process dies inside the gateway call
    with pytest.raises(KeyboardInterrupt):
        send(sms_attempt, gateway)
    assert state(sms_attempt) == "sending"
    gateway.fail = None
    assert send(sms_attempt, gateway) == "not queued"  # redelivered task: no second send
    # The gateway had taken it: its delivery report, naming the attempt, resolves it.
    assert dispatch.record_delivery_report(attempt_id=sms_attempt.pk, delivered=True)
    assert state(sms_attempt) == "delivered"
    assert gateway.sent == []


def test_a_send_with_an_unknown_outcome_is_unknown_after_the_timeout_without_a_resend(
    sms_attempt, gateway
):
    gateway.fail = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        send(sms_attempt, gateway)
    later = SMS_DUE + dt.timedelta(hours=1)
    assert dispatch.recover_attempts(now=later) == {
        "requeued": 0,
        "unknown": 1,
        "unconfirmed": 0,
        "calls_lost": 0,
    }
    assert state(sms_attempt) == "unknown"
    assert "outcome unknown" in sms_attempt.error
    assert ContactAttempt.objects.count() == 1
    assert contacted(sms_attempt) is False  # nobody knows whether the gateway took it


def contacted(attempt) -> bool:
    attempt.refresh_from_db()
    return attempt.submitted_at is not None


def test_a_report_after_the_worker_died_counts_the_citizen_contacted(sms_attempt, gateway):
    """Kannel took the message, then the worker died before writing that down: the delivery
    report, when it comes (even after the recovery sweep gave up), makes it contacted and
    reached."""
    gateway.fail = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        send(sms_attempt, gateway)
    dispatch.recover_attempts(now=SMS_DUE + dt.timedelta(hours=1))
    dispatch.apply_delivery_reports([(sms_attempt.pk, DELIVERED)])
    assert state(sms_attempt) == "delivered"
    assert contacted(sms_attempt)


def test_a_failure_report_proves_the_gateway_took_it(sms_attempt, gateway):
    gateway.fail = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        send(sms_attempt, gateway)
    dispatch.apply_delivery_reports([(sms_attempt.pk, UNDELIVERABLE)])
    assert state(sms_attempt) == "failed"
    assert contacted(sms_attempt)


def test_no_report_after_the_wait_is_sent_no_report_and_a_late_one_still_lands(
    sms_attempt, gateway, settings
):
    settings.CFMP_REPORT_WAIT_HOURS = 48
    send(sms_attempt, gateway)
    assert (
        dispatch.recover_attempts(now=timezone.now() + dt.timedelta(hours=47))["unconfirmed"] == 0
    )
    assert (
        dispatch.recover_attempts(now=timezone.now() + dt.timedelta(hours=49))["unconfirmed"] == 1
    )
    assert state(sms_attempt) == "unconfirmed"
    assert contacted(sms_attempt)
    dispatch.apply_delivery_reports([(sms_attempt.pk, DELIVERED)])
    assert state(sms_attempt) == "delivered"


def test_a_state_never_moves_back_from_delivered(sms_attempt, gateway):
    send(sms_attempt, gateway)
    dispatch.apply_delivery_reports([(sms_attempt.pk, DELIVERED)])
    for report in (UNDELIVERABLE, REJECTED, SUBMITTED):
        dispatch.apply_delivery_reports([(sms_attempt.pk, report)])
    assert state(sms_attempt) == "delivered"
    assert ContactAttempt.objects.count() == 1  # no retry planned


def test_a_delivered_report_after_a_failure_calls_off_the_retry(sms_attempt, gateway):
    """A failure report (a wrong one, or someone replaying a report URL with another type
    while the real report waits at the gateway): the retry is planned for later; the real
    report arriving meanwhile makes the attempt delivered and calls the retry off."""
    send(sms_attempt, gateway)
    dispatch.apply_delivery_reports([(sms_attempt.pk, UNDELIVERABLE)])
    retry = ContactAttempt.objects.get(try_number=2)
    assert retry.state == "planned"
    dispatch.apply_delivery_reports([(sms_attempt.pk, DELIVERED)])
    assert state(sms_attempt) == "delivered"
    retry.refresh_from_db()
    assert retry.state == "expired" and "delivered after all" in retry.error


def test_a_gateway_error_is_retried_with_backoff_up_to_the_limit(
    sms_attempt, gateway, django_capture_on_commit_callbacks
):
    gateway.fail = ChannelError("gateway busy", retryable=True)
    assert send(sms_attempt, gateway) == "failed"
    retry = ContactAttempt.objects.get(try_number=2)
    assert retry.state == "planned"
    assert retry.due_at == SMS_DUE + dt.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch.queue_due_attempts(now=retry.due_at)
    send(retry, gateway, now=retry.due_at)
    assert not ContactAttempt.objects.filter(try_number=3).exists()  # limit is 2 here


def test_a_permanent_refusal_is_not_retried(sms_attempt, gateway):
    gateway.fail = ChannelError("invalid destination", retryable=False)
    send(sms_attempt, gateway)
    assert state(sms_attempt) == "failed"
    assert ContactAttempt.objects.count() == 1


def test_a_number_that_opted_out_after_planning_is_never_sent_to(sms_attempt, gateway):
    OptOut.objects.create(mobile="+923005551234", source=OptOut.Source.SMS)
    assert send(sms_attempt, gateway) == "opted out"
    assert gateway.sent == []
    assert state(sms_attempt) == "failed"


def test_nothing_is_sent_outside_the_window(sms_attempt, gateway):
    night = dt.datetime(2026, 3, 2, 22, 0, tzinfo=PKT)
    assert send(sms_attempt, gateway, now=night) == "outside the window"
    assert state(sms_attempt) == "planned"
    assert dispatch.queue_due_attempts(now=night) == []
    assert gateway.sent == []


def test_a_repeated_delivery_report_changes_nothing(sms_attempt, gateway):
    send(sms_attempt, gateway)
    assert dispatch.record_delivery_report(attempt_id=sms_attempt.pk, delivered=True)
    assert not dispatch.record_delivery_report(attempt_id=sms_attempt.pk, delivered=False)
    assert state(sms_attempt) == "delivered"


def test_unsent_attempts_expire_with_their_survey(sms_attempt):
    assert dispatch.expire_attempts(now=SMS_DUE + dt.timedelta(days=30)) == 1
    assert state(sms_attempt) == "expired"


def test_a_paused_channel_queues_nothing_until_resumed(world, monkeypatch):
    from cfmp.outreach.models import ChannelSetting

    ChannelSetting.objects.create(channel="sms", paused=True)
    with pytest.raises(AssertionError):  # the helper asserts something was queued
        queued_sms_attempt(monkeypatch)
    assert ContactAttempt.objects.get().state == "planned"
    ChannelSetting.objects.filter(channel="sms").update(paused=False)
    assert dispatch.queue_due_attempts(now=SMS_DUE) == [ContactAttempt.objects.get().pk]


def test_the_daily_capacity_caps_what_is_queued(world, monkeypatch):
    from cfmp.outreach.models import ChannelSetting

    ChannelSetting.objects.create(channel="sms", daily_capacity=0)
    with pytest.raises(AssertionError):
        queued_sms_attempt(monkeypatch)
    ChannelSetting.objects.filter(channel="sms").update(daily_capacity=1)
    assert len(dispatch.queue_due_attempts(now=SMS_DUE)) == 1


def test_sends_are_batched_and_spread_to_keep_the_channel_rate(monkeypatch, settings):
    from cfmp.outreach import tasks

    settings.CFMP_SEND_BATCH = 2
    calls = []
    monkeypatch.setattr(
        tasks.send_attempts_task,
        "apply_async",
        lambda args, countdown: calls.append((args[0], countdown)),
    )
    dispatch._enqueue_sends([7, 8, 9, 10, 11], rate_per_second=2)
    assert calls == [([7, 8], 0.0), ([9, 10], 1.0), ([11], 2.0)]


class SlowGateway:
    """A network gateway: each request takes a while; records how many were in flight."""

    parallel = True

    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.sent = []

    def send(self, message):
        import time

        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(0.05)
        with self.lock:
            self.in_flight -= 1
            self.sent.append(message.attempt_id)
        if message.to.endswith("9"):
            raise ChannelError("busy", retryable=True)
        return Accepted(gateway_id=f"gw-{message.attempt_id}")


def test_a_batch_is_handed_to_the_gateway_concurrently_each_attempt_once(sms_attempt):
    from cfmp.outreach.models import Survey

    survey = sms_attempt.survey
    batch = [sms_attempt]
    for n in range(2, 7):
        other = Survey.objects.create(
            transaction=survey.transaction.__class__.objects.create(
                source=survey.transaction.source,
                reference=f"R{n}",
                occurred_at=survey.transaction.occurred_at,
                service=survey.transaction.service,
                office=survey.transaction.office,
                citizen_name="X",
                mobile=f"+92300555123{n + 3}",  # the last one ends in 9: busy
            ),
            plan=survey.plan,
            mobile=f"+92300555123{n + 3}",
            state="active",
            created_at=survey.created_at,
        )
        batch.append(
            ContactAttempt.objects.create(
                survey=other, channel="sms", due_at=sms_attempt.due_at, state="queued"
            )
        )
    gateway = SlowGateway()
    ids = [a.pk for a in batch]
    outcome = dispatch.send_attempts(ids, now=SMS_DUE, channel_for=lambda channel: gateway)
    assert sorted(gateway.sent) == sorted(ids)
    assert gateway.most_in_flight > 1
    assert list(outcome.values()).count("submitted") == 5
    assert outcome[batch[-1].pk] == "failed"
    states = dict(ContactAttempt.objects.filter(pk__in=ids).values_list("pk", "gateway_id"))
    assert states[sms_attempt.pk] == f"gw-{sms_attempt.pk}"
    # The same batch delivered again by the queue sends nothing.
    again = dispatch.send_attempts(ids, now=SMS_DUE, channel_for=lambda channel: gateway)
    assert set(again.values()) == {"not queued"} and len(gateway.sent) == 6


def test_a_text_the_gateway_would_cut_is_failed_with_the_reason_never_sent(
    sms_attempt, gateway, settings
):
    settings.CFMP_SMS_GATEWAY_MAX_PARTS = 1  # the plan's English survey needs two
    assert send(sms_attempt, gateway) == "failed"
    assert gateway.sent == []
    assert state(sms_attempt) == "failed"
    assert "needs 2 SMS; the gateway sends at most 1" in sms_attempt.error
    assert not ContactAttempt.objects.filter(try_number=2).exists()  # no retry can help


def test_a_send_whose_answer_was_lost_is_unknown_and_never_sent_again(sms_attempt, gateway):
    gateway.fail = ChannelError("answer lost", retryable=False, unknown=True)
    assert send(sms_attempt, gateway) == "unknown"
    assert state(sms_attempt) == "unknown"
    assert not ContactAttempt.objects.filter(try_number=2).exists()
    dispatch.apply_delivery_reports([(sms_attempt.pk, DELIVERED)])
    assert state(sms_attempt) == "delivered" and contacted(sms_attempt)
