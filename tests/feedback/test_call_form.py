"""The call-centre questionnaire as an agent fills it in (issue 17): nothing is answered
until the agent chooses, an answered call needs every question, and what will be recorded
is shown for confirmation before anything is saved. Forms are submitted as rendered."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.feedback import callcentre
from cfmp.feedback.models import CallRequest, CitizenCall, Feedback
from cfmp.intake.models import Transaction
from tests.feedback.test_call_centre import survey_citizens
from tests.forms import form_with

# A satisfied citizen's answers, as an agent ticks them; each test changes what it is about.
SATISFIED = {
    "outcome": "answered",
    "received_service": "yes",
    "money_asked": "no",
    "timeliness": "on_time",
    "treatment": "good",
}


@pytest.fixture
def agent_on_a_call(client, world):
    survey_citizens("03001110001")
    Transaction.objects.update(official=world.officials["LHR-REV"])
    callcentre.queue_manual_calls(now=timezone.now())
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    page = client.post(reverse("call-next"), follow=True)
    return page


def test_no_question_starts_answered_and_each_offers_declined(agent_on_a_call):
    form = form_with(agent_on_a_call, "outcome")
    data = form.data()
    for question in ("outcome", "received_service", "money_asked", "timeliness", "treatment"):
        assert question not in data  # nothing checked
    for question in ("received_service", "money_asked", "timeliness", "treatment"):
        assert "declined" in form.options(question)
    html = agent_on_a_call.content.decode()
    assert "not asked / citizen declined" in html and "selected" not in html


def test_answered_with_nothing_answered_stores_nothing_and_names_each_question(
    client, agent_on_a_call
):
    form = form_with(agent_on_a_call, "outcome").fill(outcome="answered")
    page = form.submit(client)
    assert page.status_code == 200
    assert not CitizenCall.objects.exists() and not Feedback.objects.exists()
    errors = page.context["form"].errors
    assert set(errors) == {"received_service", "money_asked", "timeliness", "treatment"}
    assert "Choose an answer" in page.content.decode()


def test_a_bribe_is_summarised_against_the_official_then_recorded_once_confirmed(
    client, agent_on_a_call
):
    form = form_with(agent_on_a_call, "outcome").fill(
        **{**SATISFIED, "money_asked": "yes", "amount": "2000"}
    )
    check = form.submit(client)
    assert check.status_code == 200 and not CitizenCall.objects.exists()
    official = Transaction.objects.get().official
    summary = check.context["summary"]
    assert summary == f"Bribe of Rs 2,000 against {official.name} ({official.office.name})."
    assert summary in check.content.decode()
    confirm = form_with(check, "outcome")
    done = confirm.press("action", "confirm").submit(client)
    assert done.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.category, feedback.bribe_amount) == ("bribe", 2000)
    assert CitizenCall.objects.get().answers["money_asked"] == "yes"
    # The same page sent again (back button, double click): nothing more is recorded.
    again = confirm.submit(client, follow=True)
    assert again.status_code == 200 and "already sent" in again.content.decode()
    assert CitizenCall.objects.count() == 1 and Feedback.objects.count() == 1


def test_an_answer_changed_after_the_summary_is_summarised_again(client, agent_on_a_call):
    form = form_with(agent_on_a_call, "outcome").fill(**SATISFIED)
    check = form.submit(client)
    assert check.context["summary"] == "Satisfied: no complaint against anyone."
    changed = form_with(check, "outcome").fill(treatment="bad").press("action", "confirm")
    again = changed.submit(client)
    assert again.status_code == 200 and not CitizenCall.objects.exists()
    assert again.context["summary"].startswith("Complaint of misbehaviour against ")
    form_with(again, "outcome").press("action", "confirm").submit(client)
    assert Feedback.objects.get().category == "misbehaviour"


def test_money_asked_needs_an_amount_or_an_explicit_not_said(client, agent_on_a_call):
    form = form_with(agent_on_a_call, "outcome").fill(
        **{**SATISFIED, "money_asked": "yes", "timeliness": "declined", "treatment": "declined"}
    )
    page = form.submit(client)
    assert "amount" in page.context["form"].errors
    form = form_with(page, "outcome").fill(amount_not_said=True)
    check = form.submit(client)
    assert check.context["summary"].startswith("Bribe (amount not said) against ")
    form_with(check, "outcome").press("action", "confirm").submit(client)
    feedback = Feedback.objects.get()
    assert (feedback.category, feedback.bribe_amount) == ("bribe", None)


def test_an_amount_without_money_asked_is_refused(client, agent_on_a_call):
    form = form_with(agent_on_a_call, "outcome").fill(**{**SATISFIED, "amount": "500"})
    page = form.submit(client)
    assert "amount" in page.context["form"].errors and not page.context["summary"]


def test_every_question_declined_is_unclear_not_satisfied(client, agent_on_a_call):
    form = form_with(agent_on_a_call, "outcome").fill(
        outcome="answered",
        received_service="declined",
        money_asked="declined",
        timeliness="declined",
        treatment="declined",
    )
    check = form.submit(client)
    form_with(check, "outcome").press("action", "confirm").submit(client)
    assert Feedback.objects.get().category == "unclear"


def test_no_answer_is_summarised_and_puts_the_citizen_back_in_the_queue(client, agent_on_a_call):
    check = form_with(agent_on_a_call, "outcome").fill(outcome="no_answer").submit(client)
    assert check.context["summary"] == "No answer: the citizen will be called again later."
    form_with(check, "outcome").press("action", "confirm").submit(client)
    assert CallRequest.objects.get().state == "waiting" and not Feedback.objects.exists()


def test_the_service_refuses_an_answered_call_with_a_blank_question(world):
    survey_citizens("03001110001")
    callcentre.queue_manual_calls(now=timezone.now())
    agent = world.users[Role.CALL_CENTRE_AGENT]
    request = callcentre.take_next_call(agent=agent)
    with pytest.raises(ValueError, match="every answer"):
        callcentre.record_call(
            request=request,
            agent=agent,
            outcome="answered",
            answers={"received_service": "yes", "money_asked": "yes"},
        )
    assert not CitizenCall.objects.exists()
