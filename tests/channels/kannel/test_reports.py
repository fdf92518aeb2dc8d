"""Delivery reports written in group commits: many concurrent callbacks, few transactions,
none acknowledged before it is written."""

import threading

import pytest

from cfmp.channels.kannel.adapter import attempt_signature
from cfmp.channels.kannel.reports import ReportBatcher, application, apply_kannel_reports
from cfmp.outreach.models import ContactAttempt
from tests.outreach.support import queued_sms_attempt


def submit_concurrently(batcher, reports):
    start = threading.Barrier(len(reports))
    errors = []

    def one(report):
        start.wait()
        try:
            batcher.submit(report, timeout=10)
        except Exception as problem:
            errors.append(problem)

    threads = [threading.Thread(target=one, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_reports_are_written_in_few_batches():
    applied = []
    batcher = ReportBatcher(lambda batch: applied.append(list(batch)), max_wait=0.05)
    reports = [(n, 1) for n in range(60)]
    assert submit_concurrently(batcher, reports) == []
    assert sorted(r for batch in applied for r in batch) == reports  # each once
    assert batcher.batches == len(applied) <= 10


def test_a_failed_batch_is_reported_to_every_waiting_request():
    calls = []

    def apply(batch):
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    batcher = ReportBatcher(apply, max_wait=0.05)
    errors = submit_concurrently(batcher, [(1, 1), (2, 1)])
    assert len(errors) == sum(len(batch) for batch in calls[:1])
    batcher.submit((3, 1))  # the next batch is written
    assert calls[-1] == [(3, 1)]


@pytest.fixture
def sent(world, monkeypatch):
    """Three attempts handed to the gateway (state "sending")."""
    first = queued_sms_attempt(monkeypatch)
    survey = first.survey
    others = [
        ContactAttempt.objects.create(
            survey=survey, channel="sms", try_number=n, due_at=first.due_at, state="sending"
        )
        for n in (2, 3)
    ]
    ContactAttempt.objects.filter(pk=first.pk).update(state="sending")
    return [first.pk, *(a.pk for a in others)]


@pytest.mark.django_db
def test_a_batch_applies_reports_in_the_order_a_message_lives_them(sent, settings):
    settings.CFMP_CONTACT_MAX_TRIES = 5
    a, b, c = sent
    # Kannel's types: 1 delivered, 2 undeliverable, 8 submitted to the SMSC.
    apply_kannel_reports([(a, 1), (a, 8), (b, 8), (c, 2)])
    states = dict(ContactAttempt.objects.filter(pk__in=sent).values_list("pk", "state"))
    assert states == {a: "delivered", b: "submitted", c: "failed"}
    assert ContactAttempt.objects.filter(try_number=4, state="planned").exists()  # c's retry
    apply_kannel_reports([(a, 8), (c, 2), (b, 1)])  # repeats and a late delivery
    states = dict(ContactAttempt.objects.filter(pk__in=sent).values_list("pk", "state"))
    assert states == {a: "delivered", b: "delivered", c: "failed"}
    assert ContactAttempt.objects.filter(try_number=4).count() == 1


def call_wsgi(query):
    status = []
    body = b"".join(application({"QUERY_STRING": query}, lambda s, headers: status.append(s)))
    return status[0], body


@pytest.mark.django_db
def test_the_bare_wsgi_endpoint_checks_and_records_like_the_view(sent):
    a = sent[0]
    assert call_wsgi(f"attempt={a}&type=1&sig=forged")[0] == "403 Forbidden"
    assert call_wsgi("attempt=x&type=1")[0] == "400 Bad Request"
    assert ContactAttempt.objects.get(pk=a).state == "sending"
    assert call_wsgi(f"attempt={a}&type=1&sig={attempt_signature(a)}") == ("200 OK", b"ok")
    assert ContactAttempt.objects.get(pk=a).state == "delivered"
