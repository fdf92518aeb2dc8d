"""The call-centre console: who is called, one agent per citizen, and what calls find."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import IdentityView, Role
from cfmp.feedback import callcentre
from cfmp.feedback.models import CallRequest, CitizenCall, Feedback
from cfmp.feedback.services import (
    Sms,
    classify_message,
    classify_messages,
    receive_sms,
    receive_sms_batch,
)
from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach.models import Channel, ContactAttempt, OptOut, Survey, SurveyPlan
from cfmp.outreach.services import plan_surveys
from tests.factories import department
from tests.forms import form_with

NOW = dt.datetime(2026, 3, 3, 6, 0, tzinfo=dt.UTC)  # 11:00 in Lahore, the day after


def survey_citizens(*mobiles: str, **plan) -> list[Survey]:
    """Transactions of 2 March 2026 at LHR-REV for these numbers, surveyed by a plan with a
    robocall and the whole manual-call sample (unless `plan` says otherwise)."""
    SurveyPlan.objects.update_or_create(
        is_default=True,
        service=None,
        defaults={"robocall": True, "manual_call_rate": 1, "language": "en", **plan},
    )
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    items = [
        (
            n,
            TransactionInput(
                reference=f"R{n}",
                occurred_at="2026-03-02T11:00:00+05:00",
                service="fard",
                office="LHR-REV",
                citizen_name=f"Citizen {n}",
                mobile=mobile,
            ),
        )
        for n, mobile in enumerate(mobiles)
    ]
    ingest_transactions(source=source, items=items)
    plan_surveys(now=NOW - dt.timedelta(days=1))
    return list(Survey.objects.order_by("pk"))


ANSWERS_BRIBE = {
    "received_service": "yes",
    "money_asked": "yes",
    "amount": 3000,
    "timeliness": "late",
    "treatment": "bad",
}


@pytest.mark.django_db
def test_the_manual_sample_is_queued_once_and_each_citizen_goes_to_one_agent(world):
    survey_citizens("03001110001", "03001110002")
    assert callcentre.queue_manual_calls(now=NOW) == 2
    assert callcentre.queue_manual_calls(now=NOW) == 0  # already handed over
    manual = ContactAttempt.objects.filter(channel=Channel.MANUAL)
    assert set(manual.values_list("state", flat=True)) == {"submitted"}
    agent = world.users[Role.CALL_CENTRE_AGENT]
    other = world.users[Role.SECRETARIAT]
    first = callcentre.take_next_call(agent=agent, now=NOW)
    assert callcentre.take_next_call(agent=agent, now=NOW) == first  # one call at a time
    second = callcentre.take_next_call(agent=other, now=NOW)
    assert second is not None and second != first
    assert callcentre.take_next_call(agent=other, now=NOW) == second


@pytest.mark.django_db
def test_a_citizen_who_asked_is_called_before_the_sample_and_only_once(world):
    _sample, asking = survey_citizens("03001110001", "03001110002")
    callcentre.queue_manual_calls(now=NOW)
    asked_attempt = ContactAttempt.objects.get(survey=asking, channel=Channel.VOICE)
    request = callcentre.record_keypad_answer(attempt_id=asked_attempt.pk, digit="9")
    assert isinstance(request, CallRequest)
    # The asking citizen was also in the sample: one request, now at the higher priority.
    assert CallRequest.objects.filter(mobile=asking.mobile).count() == 1
    assert request.reason == "citizen_asked"
    assert callcentre.record_keypad_answer(attempt_id=asked_attempt.pk, digit="9") == request
    taken = callcentre.take_next_call(agent=world.users[Role.CALL_CENTRE_AGENT], now=NOW)
    assert taken.mobile == asking.mobile


@pytest.mark.django_db
def test_an_answered_call_becomes_agent_feedback_and_finishes_the_sample_attempt(world):
    (survey,) = survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent, now=NOW)
    call = callcentre.record_call(
        request=request, agent=agent, outcome="answered", answers=ANSWERS_BRIBE, now=NOW
    )
    feedback = Feedback.objects.get(call=call)
    # Bribe outranks the bad treatment and the delay reported in the same call.
    assert (feedback.channel, feedback.category, feedback.bribe_amount) == ("agent", "bribe", 3000)
    assert feedback.transaction_id == survey.transaction_id
    survey.refresh_from_db()
    assert survey.state == "completed" and survey.answered_at == NOW
    assert ContactAttempt.objects.get(channel=Channel.MANUAL).state == "delivered"
    request.refresh_from_db()
    assert request.state == "done"
    with pytest.raises(ValueError, match="not yours"):  # recorded once
        callcentre.record_call(
            request=request, agent=agent, outcome="answered", answers=ANSWERS_BRIBE
        )


@pytest.mark.django_db
def test_no_answer_is_tried_again_later_then_given_up(world, settings):
    settings.CFMP_CALL_TRIES = 2
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent, now=NOW)
    callcentre.record_call(request=request, agent=agent, outcome="no_answer", answers={}, now=NOW)
    assert callcentre.take_next_call(agent=agent, now=NOW) is None  # not due yet
    later = NOW + dt.timedelta(minutes=settings.CFMP_CALL_RETRY_MINUTES)
    again = callcentre.take_next_call(agent=agent, now=later)
    assert again == request
    callcentre.record_call(request=again, agent=agent, outcome="no_answer", answers={}, now=later)
    again.refresh_from_db()
    assert (again.state, again.tries) == ("given_up", 2)
    assert ContactAttempt.objects.get(channel=Channel.MANUAL).state == "failed"
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_a_wrong_number_is_a_not_availed_sign(world):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent, now=NOW)
    callcentre.record_call(request=request, agent=agent, outcome="wrong_number", answers={})
    assert Feedback.objects.get().category == "not_availed"


@pytest.mark.django_db
def test_a_call_abandoned_by_its_agent_returns_to_the_queue(world, settings):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    first = callcentre.take_next_call(agent=world.users[Role.CALL_CENTRE_AGENT], now=NOW)
    later = NOW + dt.timedelta(minutes=settings.CFMP_CALL_HOLD_MINUTES + 1)
    assert callcentre.take_next_call(agent=world.users[Role.SECRETARIAT], now=later) == first


@pytest.mark.django_db
def test_unclear_replies_are_put_to_an_agent_but_not_from_opted_out_numbers(world):
    survey_citizens("03001110001", "03001110002", manual_call_rate=0)
    OptOut.objects.create(mobile="+923001110002", source="operator")
    for n, sender in enumerate(("03001110001", "03001110002")):
        message = receive_sms(
            gateway="webhook",
            gateway_message_id=f"q{n}",
            sender=sender,
            text="ye kis cheez ka message hai?",
            received_at=timezone.now(),
        ).message
        assert classify_message(message_id=message.pk).category == "unclear"
    request = CallRequest.objects.get()
    assert (request.mobile, request.reason) == ("+923001110001", "unclear_reply")
    assert request.about_feedback.message.text == "ye kis cheez ka message hai?"


@pytest.mark.django_db
def test_keypad_answers_are_ivr_feedback_once_and_do_not_stop_the_sms(world):
    (survey,) = survey_citizens("03001110001", manual_call_rate=0)
    call = ContactAttempt.objects.get(channel=Channel.VOICE)
    feedback = callcentre.record_keypad_answer(attempt_id=call.pk, digit="2", at=NOW)
    assert (feedback.channel, feedback.category, feedback.keypad_digit) == ("ivr", "bribe", "2")
    assert callcentre.record_keypad_answer(attempt_id=call.pk, digit="2") == feedback
    assert Feedback.objects.count() == 1
    survey.refresh_from_db()
    assert survey.answered_at == NOW and survey.state == "active"  # the SMS still goes out
    # A plan maps its own digits; one it does not know is kept as unclear.
    SurveyPlan.objects.filter(pk=survey.plan_id).update(keypad={"5": "delay"})
    Feedback.objects.all().delete()
    assert callcentre.record_keypad_answer(attempt_id=call.pk, digit="5").category == "delay"
    Feedback.objects.all().delete()
    assert callcentre.record_keypad_answer(attempt_id=call.pk, digit="1").category == "unclear"


@pytest.mark.django_db
def test_the_console_walks_an_agent_through_a_call(client, world):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=timezone.now())
    agent = world.users[Role.CALL_CENTRE_AGENT]
    client.force_login(agent)
    console = client.get(reverse("call-console")).content.decode()
    assert "manual-call sample" in console
    page = client.post(reverse("call-next"), follow=True)
    request = CallRequest.objects.get()
    assert page.request["PATH_INFO"] == reverse("call-detail", args=[request.pk])
    content = page.content.decode()
    assert "+923001110001" in content and "Citizen 0" in content
    assert IdentityView.objects.filter(user=agent, purpose="call").exists()
    # An answered call must have its questions asked (tests/feedback/test_call_form.py).
    form = form_with(page, "outcome").fill(outcome="answered")
    incomplete = form.submit(client)
    assert incomplete.status_code == 200 and not CitizenCall.objects.exists()
    form = form_with(incomplete, "outcome").fill(
        received_service="yes",
        money_asked="no",
        timeliness="on_time",
        treatment="good",
        comments="sab theek tha",
    )
    check = form.submit(client)
    done = form_with(check, "outcome").press("action", "confirm").submit(client)
    assert done.status_code == 302
    assert Feedback.objects.get().category == "satisfied"
    assert CitizenCall.objects.get().answers["comments"] == "sab theek tha"


@pytest.mark.django_db
def test_officials_cannot_use_the_console_nor_see_another_agents_call(client, world):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=timezone.now())
    request = callcentre.take_next_call(agent=world.users[Role.SECRETARIAT])
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("call-console")).status_code == 403
    assert client.get(reverse("direct-calls")).status_code == 403
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    assert client.get(reverse("call-detail", args=[request.pk])).status_code == 404


@pytest.mark.django_db
def test_a_senior_officials_direct_call_is_logged_as_feedback(client, world):
    (survey,) = survey_citizens("03001110001", manual_call_rate=0)
    client.force_login(world.users[Role.SECRETARIAT])
    form = form_with(client.get(reverse("direct-calls")), "direct_caller").fill(
        direct_caller="Chief Minister",
        mobile="0300-1110001",
        outcome="answered",
        received_service="no",
        money_asked="declined",
        timeliness="declined",
        treatment="declined",
        notes="says he never applied",
    )
    check = form.submit(client)  # summarised first: nothing recorded yet
    assert not CitizenCall.objects.exists()
    assert check.context["summary"].startswith("Service not received")
    confirm = form_with(check, "direct_caller").press("action", "confirm")
    assert confirm.submit(client).status_code == 302
    confirm.submit(client)  # sent twice: logged once
    call = CitizenCall.objects.get()
    assert (call.direct_caller, call.mobile) == ("Chief Minister", "+923001110001")
    assert call.transaction_id == survey.transaction_id
    assert call.feedback.category == "not_availed"
    log = client.get(reverse("direct-calls"))
    assert "Chief Minister" in log.content.decode() and "+923001110001" in log.content.decode()
    bad = form_with(log, "direct_caller").fill(direct_caller="DC", mobile="12").submit(client)
    assert bad.status_code == 200 and CitizenCall.objects.count() == 1
    assert "mobile" in bad.context["form"].errors


@pytest.mark.django_db
def test_a_batch_of_unclear_replies_queues_each_number_once(world):
    survey_citizens("03001110001", "03001110002", "03001110003")
    callcentre.queue_manual_calls(now=NOW)  # all three are in the sample
    CallRequest.objects.filter(mobile="+923001110003").update(state="done")
    OptOut.objects.create(mobile="+923001110002", source="operator")
    messages = receive_sms_batch(
        gateway="webhook",
        messages=[
            Sms(f"u{n}", sender, "ye kis cheez ka message hai?", received_at=timezone.now())
            for n, sender in enumerate(("03001110001", "03001110002", "03001110003", "0345"))
        ],
    )
    classify_messages(message_ids=[r.message.pk for r in messages])
    requests = {r.mobile: r.reason for r in CallRequest.objects.filter(state="waiting")}
    # The sampled number is raised to "unclear reply"; the opted-out one keeps its sample
    # request (an agent may still call); the one whose call was done is queued anew;
    # "0345" cannot be called back.
    assert requests == {
        "+923001110001": "unclear_reply",
        "+923001110002": "sample",
        "+923001110003": "unclear_reply",
    }


@pytest.mark.django_db
def test_supervisors_see_the_queue_and_calls_in_the_admin_and_are_logged(client, world):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=NOW)
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent, now=NOW)
    call = callcentre.record_call(request=request, agent=agent, outcome="refused", answers={})
    client.force_login(world.users[Role.SECRETARIAT])
    for name, pk in (("callrequest", request.pk), ("citizencall", call.pk)):
        page = client.get(reverse(f"admin:feedback_{name}_changelist"))
        assert "+923001110001" in page.content.decode()
        assert IdentityView.objects.get(subject=f"feedback.{name}").object_ids == [pk]
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(reverse("admin:feedback_citizencall_changelist"))
    assert "+923001110001" not in page.content.decode()
