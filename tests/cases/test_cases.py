"""From a complaint to a case, routed, prioritised, escalated and closed, with its trail."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.db import transaction as db_transaction
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases import services
from cfmp.cases.models import Action, Case, CaseEvent, RoutingRule
from cfmp.cases.selectors import action_counts, days_to_first_action
from cfmp.cases.services import CaseError, file_complaints
from cfmp.feedback.models import Feedback
from cfmp.feedback.services import receive_sms
from tests.cases.support import DAY, complaint, transaction_at
from tests.factories import UserFactory, department, district

pytestmark = pytest.mark.django_db


def test_a_bribe_reply_opens_a_case_for_the_district_officer(
    world, django_capture_on_commit_callbacks
):
    tx = transaction_at("LHR-REV", official="LHR-REV-1", mobile="0300-7654321")
    from cfmp.outreach.services import plan_surveys

    plan_surveys(now=tx.occurred_at + DAY)
    with django_capture_on_commit_callbacks(execute=True):
        message = receive_sms(
            gateway="webhook",
            gateway_message_id="x1",
            sender="03007654321",
            text="patwari ne fard ke 5000 rupay liye",
            received_at=tx.occurred_at + 2 * DAY,
        ).message
    assert message.feedback.category == "bribe"  # classified by its task, eagerly here
    case = Case.objects.get()
    assert (case.kind, case.state, case.office, case.official) == (
        "bribe", "open", world.lahore_revenue, world.officials["LHR-REV"],
    )  # fmt: skip
    assert case.owner == world.users[Role.DISTRICT_OFFICER] and case.level == "district"
    assert case.due_at - case.opened_at == 7 * DAY  # the bribe SLA
    assert case.evidence.get().feedback == message.feedback
    assert list(case.events.values_list("kind", flat=True).order_by("pk")) == ["opened", "assigned"]


def test_a_second_complaint_joins_the_case_and_raises_its_priority(world):
    first, second = complaint(), complaint()
    file_complaints(feedback_ids=[first.pk])
    case = Case.objects.get()
    start = case.priority
    file_complaints(feedback_ids=[second.pk, first.pk])  # the first again: changes nothing
    case.refresh_from_db()
    assert Case.objects.count() == 1 and case.complaints == 2 and case.priority > start
    assert case.evidence.count() == 2
    # Another kind, or another official, is another case; a bribe outranks many delays.
    delays = [complaint(category="delay") for _ in range(12)]
    other = complaint("MUL-REV", official="MUL-REV-1")
    file_complaints(feedback_ids=[d.pk for d in delays] + [other.pk])
    assert Case.objects.count() == 3
    delay_case = Case.objects.get(kind="delay")
    assert delay_case.complaints == 12 and delay_case.priority < start


def test_praise_and_unknown_transactions_open_no_case(world):
    praise = complaint(category="satisfied")
    unsolicited = complaint()
    unsolicited.transaction = None
    unsolicited.save()
    assert file_complaints(feedback_ids=[praise.pk, unsolicited.pk]) == 0
    assert not Case.objects.exists()


def test_a_routing_rule_sends_a_departments_cases_elsewhere(world):
    RoutingRule.objects.create(
        department=department("revenue"), kind="bribe", level="department", sla_days=3
    )
    RoutingRule.objects.create(kind="delay", level="district", sla_days=30)
    file_complaints(feedback_ids=[complaint().pk, complaint(category="delay").pk])
    bribe, delay = Case.objects.get(kind="bribe"), Case.objects.get(kind="delay")
    assert (
        bribe.owner == world.users[Role.DEPARTMENT_OFFICER]
        and bribe.due_at - bribe.opened_at == 3 * DAY
    )
    assert (
        delay.owner == world.users[Role.DISTRICT_OFFICER]
        and delay.due_at - delay.opened_at == 30 * DAY
    )


def test_an_overdue_case_escalates_once_per_level(world):
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    late = case.due_at + dt.timedelta(minutes=1)
    assert services.escalate_overdue(now=late) == 1
    assert services.escalate_overdue(now=late) == 0  # not repeatedly
    case.refresh_from_db()
    assert case.level == "department" and case.owner == world.users[Role.DEPARTMENT_OFFICER]
    assert case.due_at == late + 7 * DAY
    assert services.escalate_overdue(now=case.due_at + DAY) == 1
    case.refresh_from_db()
    assert case.level == "secretariat" and case.owner == world.users[Role.SECRETARIAT]
    assert services.escalate_overdue(now=case.due_at + DAY) == 0  # the last level
    assert case.events.filter(kind="escalated").count() == 2


def test_a_dismissal_needs_a_reason_and_reopening_is_logged(world):
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    officer = world.users[Role.DISTRICT_OFFICER]
    with pytest.raises(CaseError, match="why"):
        services.move_case(case=case, actor=officer, to_state="dismissed", reason="  ")
    services.move_case(
        case=case, actor=officer, to_state="dismissed", reason="the fee was official"
    )
    case.refresh_from_db()
    assert case.state == "dismissed" and case.dismissal_reason == "the fee was official"
    with pytest.raises(CaseError, match="cannot become"):
        services.move_case(case=case, actor=officer, to_state="closed")
    services.move_case(case=case, actor=officer, to_state="open")
    case.refresh_from_db()
    assert case.state == "open" and case.closed_at is None
    states = list(case.events.filter(kind="state").values_list("from_state", "to_state"))
    assert states == [("open", "dismissed"), ("dismissed", "open")]


def test_actions_move_the_case_and_count_in_the_reports(world):
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    officer = world.users[Role.DISTRICT_OFFICER]
    today = timezone.localdate()
    services.record_action(case=case, author=officer, kind="explanation", taken_on=today)
    case.refresh_from_db()
    assert case.state == "under_inquiry" and case.first_action_at is not None
    services.record_action(
        case=case, author=officer, kind="show_cause", taken_on=today, note="reply in 7 days"
    )
    case.refresh_from_db()
    assert case.state == "action_taken"
    services.move_case(case=case, actor=officer, to_state="closed")
    with pytest.raises(CaseError, match="re-open"):
        services.record_action(case=case, author=officer, kind="warning", taken_on=today)
    counts = action_counts(world.users[Role.SECRETARIAT], start=today, end=today)
    assert counts == {"explanation": 1, "show_cause": 1}
    assert action_counts(world.users[Role.OFFICE_HEAD], start=today, end=today) == {}  # Multan
    assert days_to_first_action(officer, start=today - DAY, end=today) < 0.01


def test_closing_the_loop_thanks_the_citizen_once_when_enabled(
    world, settings, django_capture_on_commit_callbacks
):
    from cfmp.channels.registry import adapter_for

    feedback = complaint()
    from cfmp.outreach.services import plan_surveys

    plan_surveys(now=feedback.transaction.occurred_at + DAY)
    feedback.survey = feedback.transaction.survey
    feedback.save()
    file_complaints(feedback_ids=[feedback.pk])
    case = Case.objects.get()
    officer = world.users[Role.DISTRICT_OFFICER]
    sent = adapter_for("sms").sent
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_action(
            case=case, author=officer, kind="warning", taken_on=timezone.localdate()
        )
    assert sent == []  # off by default
    settings.CFMP_CLOSE_THE_LOOP = True
    with django_capture_on_commit_callbacks(execute=True):
        services.record_action(
            case=case, author=officer, kind="suspension", taken_on=timezone.localdate()
        )
        services.record_action(
            case=case, author=officer, kind="transfer", taken_on=timezone.localdate()
        )
    assert [m.to for m in sent] == [feedback.transaction.mobile]
    text = sent[0].text
    assert "Action has been taken" in text and "suspension" not in text
    assert world.officials["LHR-REV"].name not in text


def test_a_reviewer_opens_a_case_by_hand(world):
    feedback = complaint(category="other_complaint")
    reviewer = world.users[Role.SECRETARIAT]
    with pytest.raises(services.CaseError, match="Say why"):
        services.open_case_by_hand(
            feedback=feedback, kind="misbehaviour", actor=reviewer, reason=""
        )
    with pytest.raises(services.CaseError, match="correct its category first"):
        services.open_case_by_hand(
            feedback=feedback, kind="misbehaviour", actor=reviewer, reason="rude clerk"
        )
    case = services.open_case_by_hand(
        feedback=feedback, kind="misbehaviour", actor=reviewer, reason="rude clerk", correct=True
    )
    assert case.kind == "misbehaviour" and case.opened_by == reviewer
    feedback.refresh_from_db()
    assert feedback.category == "misbehaviour"
    assert feedback.corrections.get().from_category == "other_complaint"
    with pytest.raises(services.CaseError, match=f"already a complaint in case #{case.pk}"):
        services.open_case_by_hand(
            feedback=feedback, kind="misbehaviour", actor=reviewer, reason="x"
        )


def test_a_complaint_corrected_to_satisfied_leaves_its_case_with_the_reason_on_the_trail(world):
    from cfmp.feedback.services import review_feedback

    first, second = complaint(), complaint()
    file_complaints(feedback_ids=[first.pk, second.pk])
    case = Case.objects.get()
    assert case.complaints == 2
    reviewer = world.users[Role.SECRETARIAT]
    review_feedback(feedback=first, reviewer=reviewer, category="satisfied", reason="praise")
    case.refresh_from_db()
    assert case.complaints == 1 and list(case.evidence.values_list("feedback", flat=True)) == [
        second.pk
    ]
    withdrawn = case.events.get(kind="withdrawn")
    assert (withdrawn.actor, withdrawn.from_state, withdrawn.to_state, withdrawn.note) == (
        reviewer,
        "bribe",
        "satisfied",
        "praise",
    )


def test_an_unsure_classification_waits_for_a_reviewer_before_it_accuses(world):
    unsure = complaint()
    Feedback.objects.filter(pk=unsure.pk).update(needs_review=True)
    assert file_complaints(feedback_ids=[unsure.pk]) == 0 and not Case.objects.exists()


def test_a_case_about_an_office_without_a_known_official(world):
    file_complaints(feedback_ids=[complaint(official="").pk, complaint(official="").pk])
    case = Case.objects.get()
    assert case.official is None and case.complaints == 2


def test_nobody_at_a_level_leaves_the_case_unowned_on_that_level(world):
    file_complaints(feedback_ids=[complaint("MUL-REV", official="MUL-REV-1").pk])
    case = Case.objects.get()
    assert case.level == "district" and case.owner is None  # no district officer in Multan
    UserFactory(role=Role.DISTRICT_OFFICER, username="do-mul", district=district("multan"))
    file_complaints(feedback_ids=[complaint("MUL-HLT", official="MUL-HLT-1").pk])
    assert Case.objects.get(office=world.multan_health).owner.username == "do-mul"


def test_postgresql_refuses_to_change_the_trail(world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite: the demo database)")
    file_complaints(feedback_ids=[complaint().pk])
    event = CaseEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), db_transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(DatabaseError, match="append-only"), db_transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_digests_remind_owners_of_overdue_cases(world, mailoutbox):
    from cfmp.cases.digests import send_case_digests

    officer = world.users[Role.DISTRICT_OFFICER]
    officer.email = "do@example.pk"
    officer.save()
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    assert send_case_digests(now=case.opened_at) == 0  # due in 7 days: nothing yet
    assert send_case_digests(now=case.due_at + DAY) == 1
    (mail,) = mailoutbox
    assert mail.to == ["do@example.pk"] and "1 overdue" in mail.subject
    assert f"/cases/{case.pk}/" in mail.body and "0300" not in mail.body


def test_action_kinds_are_the_issues():
    assert set(Action.Kind.values) == {
        "explanation", "warning", "show_cause", "coaching", "transfer", "suspension",
        "ace_referral", "commendation", "no_action",
    }  # fmt: skip


def test_officials_are_ranked_by_the_lower_bound_of_their_complaint_share(world):
    from cfmp.cases.standing import official_standing, wilson
    from cfmp.registry.models import Official

    few = Official.objects.create(
        employee_code="LHR-REV-2", name="Few", office=world.lahore_revenue
    )
    for _ in range(2):  # 2 of 2 replies are complaints, but too few to rank
        complaint(official="LHR-REV-2")
    for n in range(40):  # 12 of 40
        complaint(category="bribe" if n < 12 else "satisfied")
    third = Official.objects.create(
        employee_code="LHR-REV-3", name="Third", office=world.lahore_revenue
    )
    for n in range(20):  # 1 of 20
        complaint(official="LHR-REV-3", category="delay" if n == 0 else "satisfied")
    busy = official_standing(world.officials["LHR-REV"])
    assert (busy.responses, busy.complaints, busy.rank, busy.ranked) == (40, 12, 1, 2)
    assert busy.low == pytest.approx(wilson(12, 40)[0]) and busy.low < 0.3 < busy.high
    assert official_standing(third).rank == 2
    assert official_standing(few).rank is None and official_standing(few).rate == 1.0


def test_cases_nobody_holds_are_shown_checked_daily_and_listed_by_cfmp_check(
    client, world, mailoutbox
):
    from django.core.management import call_command

    from cfmp.cases.digests import send_case_digests
    from cfmp.cases.routing import routing_gaps

    file_complaints(feedback_ids=[complaint("MUL-REV", official="MUL-REV-1").pk])
    case = Case.objects.get()
    assert case.owner is None  # no district officer in Multan
    gaps = {(g.level, g.area): g.offices for g in routing_gaps()}
    assert gaps[("district", "Multan")] == ("MUL-HLT", "MUL-REV")
    assert not any(area == "Lahore" for _, area in gaps)
    # The secretariat's home shows it.
    secretariat = world.users[Role.SECRETARIAT]
    client.force_login(secretariat)
    home = client.get("/").content.decode()
    assert "1</strong> case waits for nobody" in home and "No district officer for Multan" in home
    listing = client.get("/cases/", {"unowned": "1"}).content.decode()
    assert f"/cases/{case.pk}/" in listing
    # `cfmp check` lists the gap.
    from io import StringIO

    err = StringIO()
    call_command("check", stderr=err, stdout=StringIO())
    assert "No active district officer for Multan" in err.getvalue()
    # The daily check tells the secretariat, and assigns the case once someone holds the post.
    secretariat.email = "sec@example.org"
    secretariat.save()
    send_case_digests()
    assert any(f"#{case.pk}" in mail.body for mail in mailoutbox)
    officer = UserFactory(
        role=Role.DISTRICT_OFFICER, username="do-mul2", district=district("multan")
    )
    send_case_digests()
    case.refresh_from_db()
    assert case.owner == officer
    assert case.events.filter(kind="assigned", note="do-mul2").exists()
