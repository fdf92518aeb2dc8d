"""The review queue: uncertain classifications, confirmed or corrected by reviewers only;
the classifier's answer is kept and corrections train the next model."""

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.feedback.models import Feedback
from cfmp.feedback.selectors import review_queue, reviewed_examples
from cfmp.feedback.services import classify_message, receive_sms
from tests.forms import form_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncertain(world, settings):
    settings.CFMP_REVIEW_BELOW = 1.01  # every result is uncertain
    message = receive_sms(
        gateway="kannel",
        gateway_message_id="r1",
        sender="03005551234",
        text="file agay nahi ki jab tak 700 nahi diye",
    ).message
    return classify_message(message_id=message.pk)


def test_reviewers_see_the_queue_and_others_do_not(client, world, uncertain):
    url = reverse("feedback-review")
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    page = client.get(url).content.decode()
    assert "file agay nahi ki jab tak 700 nahi diye" in page
    for role in (Role.DISTRICT_OFFICER, Role.OFFICE_HEAD, Role.AUDITOR):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 403
        decided = client.post(reverse("feedback-review-decide", args=[uncertain.pk]), {})
        assert decided.status_code == 403  # refused at the door, whatever the reply
    assert review_queue(world.users[Role.DISTRICT_OFFICER]).count() == 0


def test_a_correction_keeps_the_classifiers_answer_and_leaves_the_queue(client, world, uncertain):
    reviewer = world.users[Role.SECRETARIAT]
    client.force_login(reviewer)
    first_answer = uncertain.category
    form = form_with(
        client.get(reverse("feedback-review")), "reason"
    )  # the decision form, not the filters
    assert form.data()["category"] == ""  # nothing pre-chosen, the classifier's answer included
    response = form.fill(category="bribe", reason="asks for 700").submit(client)
    assert response.status_code == 302
    again = form.submit(client, follow=True)  # sent twice
    assert "already sent" in again.content.decode()
    correction = uncertain.corrections.get()
    assert (correction.by, correction.from_category, correction.to_category) == (
        reviewer,
        first_answer,
        "bribe",
    )
    feedback = Feedback.objects.get()
    assert (feedback.category, feedback.bribe_amount, feedback.needs_review) == (
        "bribe",
        700,
        False,
    )
    assert (feedback.classified_as, feedback.reviewed_by) == (first_answer, reviewer)
    assert review_queue(reviewer).count() == 0
    assert [(e.text, e.category) for e in reviewed_examples()] == [
        ("file agay nahi ki jab tak 700 nahi diye", "bribe")
    ]


def test_an_unknown_category_changes_nothing(client, world, uncertain):
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(reverse("feedback-review-decide", args=[uncertain.pk]), {"category": "x"})
    assert Feedback.objects.get().needs_review


def test_postgresql_refuses_to_change_a_recorded_correction(world, uncertain):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite: the demo database)")
    from cfmp.feedback.services import review_feedback

    review_feedback(feedback=uncertain, reviewer=world.users[Role.SECRETARIAT], category="bribe")
    correction = uncertain.corrections.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        type(correction).objects.filter(pk=correction.pk).update(reason="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        correction.delete()


def test_a_reason_naming_someone_warns_the_reviewer(client, world, uncertain):
    """The decision's reason is read masked by auditors in the case trail: its writer is
    warned (never refused) when it names a person or holds a number, and not otherwise."""
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    warning = "seems to name a person or hold a phone or CNIC number"
    form = form_with(client.get(reverse("feedback-review")), "reason")
    plain = form.fill(category="bribe", reason="asks for 700").submit(client, follow=True)
    assert warning not in plain.content.decode()
    second = receive_sms(
        gateway="kannel", gateway_message_id="r2", sender="03005551235",
        text="clerk ne 900 maange",
    ).message  # fmt: skip
    classify_message(message_id=second.pk)
    form = form_with(client.get(reverse("feedback-review")), "reason")
    named = form.fill(category="bribe", reason="caller Kiran, 0308-1234567").submit(
        client, follow=True
    )
    assert warning in named.content.decode()
    assert Feedback.objects.get(message=second).category == "bribe"  # recorded all the same
