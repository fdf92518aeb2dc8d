"""The simulator's citizens answer on WhatsApp: Meta's side (the fake Cloud API) plays each
citizen the built-in simulator would play for that attempt — delivered or not, a reply or
silence, in their words or by a button — and posts what Meta would post. Every reaction
lands on its attempt and survey, and every reply becomes feedback."""

import datetime as dt

import pytest

from cfmp.channels.simulator.citizens import reaction_to
from cfmp.feedback.models import Feedback, InboundMessage
from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt, SurveyPlan
from cfmp.outreach.services import plan_surveys
from tests.channels.whatsapp import meta
from tests.channels.whatsapp.test_whatsapp import cloud  # noqa: F401 (a fixture)
from tests.factories import department
from tests.outreach.support import SMS_DUE

pytestmark = pytest.mark.django_db
CITIZENS = 60


def surveyed(monkeypatch) -> list[ContactAttempt]:
    monkeypatch.setattr(dispatch, "_enqueue_sends", lambda ids, **kwargs: None)
    SurveyPlan.objects.update_or_create(
        is_default=True, service=None,
        defaults={"robocall": False, "manual_call_rate": 0, "language": "ur"},
    )  # fmt: skip
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    items = [
        (n, TransactionInput(reference=f"W{n}", occurred_at="2026-03-02T11:00:00+05:00",
                             service="fard", office="LHR-REV", citizen_name=f"Citizen {n}",
                             mobile=f"0300-55{n:05d}"))
        for n in range(CITIZENS)
    ]  # fmt: skip
    ingest_transactions(source=source, items=items)
    plan_surveys(now=SMS_DUE - dt.timedelta(hours=1))
    ids = dispatch.queue_due_attempts(now=SMS_DUE)
    return list(ContactAttempt.objects.filter(pk__in=ids).order_by("pk"))


def test_the_simulators_citizens_answer_on_whatsapp(
    client,
    cloud,  # noqa: F811
    world,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    attempts = surveyed(monkeypatch)
    outcome = dispatch.send_attempts([a.pk for a in attempts], now=SMS_DUE,
                                     channel_for=lambda c: cloud.adapter)  # fmt: skip
    assert set(outcome.values()) == {"submitted"}
    sent = {r["body"]["biz_opaque_callback_data"]: r for r in cloud.requests}
    wamids = dict(ContactAttempt.objects.values_list("pk", "gateway_id"))
    expected_state, replies = {}, {}
    for attempt in attempts:
        request = sent[f"cfmp-attempt:{attempt.pk}"]
        assert request["body"]["type"] == "template"
        citizen = request["body"]["to"]
        reaction = reaction_to(attempt_id=attempt.pk, channel="sms")
        at = int((SMS_DUE + dt.timedelta(seconds=reaction.report_after)).timestamp())
        wamid = wamids[attempt.pk]
        statuses = [meta.status(wamid, "sent", citizen, at)]
        if reaction.delivered:
            statuses.append(meta.status(wamid, "delivered", citizen, at))
        else:
            statuses.append(meta.status(wamid, "failed", citizen, at, error=(131026, "Message undeliverable")))  # fmt: skip
        messages = []
        if reaction.reply is not None:
            reply_at = int((SMS_DUE + dt.timedelta(seconds=reaction.reply_after)).timestamp())
            incoming = f"wamid.REPLY{attempt.pk}"
            if reaction.reply in ("1", "2"):  # a button pressed, the rest typed
                messages.append(
                    meta.template_button(citizen, incoming, reaction.reply, reply_at, wamid)
                )
            else:
                messages.append(meta.text(citizen, incoming, reaction.reply, reply_at))
            replies[incoming] = (attempt.survey_id, reaction.reply)
        expected_state[attempt.pk] = "delivered" if reaction.delivered else "failed"
        with django_capture_on_commit_callbacks(execute=True):
            answer = meta.post(client, meta.notification(statuses=statuses))
            assert answer.status_code == 200
            if messages:
                assert meta.post(client, meta.notification(messages=messages)).status_code == 200
    assert replies, "some of the simulator's citizens answer"
    assert (
        dict(ContactAttempt.objects.filter(try_number=1).values_list("pk", "state"))
        == expected_state
    )
    stored = {m.gateway_message_id: m for m in InboundMessage.objects.filter(gateway="whatsapp")}
    assert {k: (m.survey_id, m.text) for k, m in stored.items()} == replies
    assert Feedback.objects.filter(message__gateway="whatsapp").count() == len(replies)
