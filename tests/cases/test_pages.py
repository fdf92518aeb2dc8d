"""Case pages: scoped, masked, logged; only acting roles act."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.models import Case, CaseEvent
from cfmp.cases.services import file_complaints
from tests.cases.support import complaint
from tests.forms import form_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    file_complaints(feedback_ids=[complaint().pk, complaint("MUL-HLT", official="MUL-HLT-1").pk])
    return Case.objects.get(office=world.lahore_revenue), Case.objects.get(
        office=world.multan_health
    )


def test_a_district_officer_sees_their_districts_case_masked_and_the_look_is_logged(
    client, world, cases
):
    lahore, multan = cases
    officer = world.users[Role.DISTRICT_OFFICER]
    client.force_login(officer)
    listing = client.get(reverse("cases:list")).content.decode()
    assert reverse("cases:detail", args=[lahore.pk]) in listing
    assert reverse("cases:detail", args=[multan.pk]) not in listing
    page = client.get(reverse("cases:detail", args=[lahore.pk])).content.decode()
    assert "clerk ne 2000 liye" in page
    for identity in (
        "0300-1234567",
        "Asif",
        "Khan",
        lahore.evidence.get().feedback.transaction.mobile,
    ):
        assert identity not in page
    assert CaseEvent.objects.filter(case=lahore, kind="viewed", actor=officer).exists()
    assert "Trail" not in page  # the audit trail is for the secretariat and auditors
    assert client.get(reverse("cases:detail", args=[multan.pk])).status_code == 404
    action = {"kind": "warning", "taken_on": timezone.localdate().isoformat()}
    assert client.post(reverse("cases:add-action", args=[multan.pk]), action).status_code == 404
    assert (
        client.post(
            reverse("cases:move", args=[multan.pk]), {"to_state": "dismissed", "reason": "x"}
        ).status_code
        == 404
    )
    multan.refresh_from_db()
    assert multan.state == "open" and not multan.actions.exists()


def case_form(client, case, field):
    page = client.get(reverse("cases:detail", args=[case.pk]))
    return form_with(page, field)


def test_actions_and_state_changes_through_the_page(client, world, cases):
    lahore, _ = cases
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    action = case_form(client, lahore, "taken_on")
    assert action.data()["kind"] == ""  # no action is pre-chosen
    refused = action.submit(client, follow=True)
    assert "This field is required" in refused.content.decode() and not lahore.actions.exists()
    action = case_form(client, lahore, "taken_on").fill(kind="show_cause", note="reply in 7 days")
    action.submit(client)
    action.submit(client)  # sent twice (a double click): recorded once
    lahore.refresh_from_db()
    assert lahore.state == "action_taken" and lahore.actions.get().note == "reply in 7 days"
    page = (
        case_form(client, lahore, "to_state").fill(to_state="dismissed").submit(client, follow=True)
    )
    lahore.refresh_from_db()
    assert lahore.state == "action_taken"  # an action-taken case closes; it is not dismissed
    assert "A case that is action taken cannot become dismissed." in page.content.decode()
    case_form(client, lahore, "to_state").fill(to_state="closed").submit(client)
    lahore.refresh_from_db()
    assert lahore.state == "closed"


def test_office_heads_read_their_offices_cases_but_do_not_act(client, world, cases):
    _, multan = cases
    client.force_login(world.users[Role.OFFICE_HEAD])  # MUL-HLT
    assert client.get(reverse("cases:detail", args=[multan.pk])).status_code == 200
    response = client.post(reverse("cases:move", args=[multan.pk]), {"to_state": "under_inquiry"})
    assert response.status_code == 403


def test_the_secretariat_moves_cases_in_bulk_and_auditors_read_the_trail(client, world, cases):
    lahore, multan = cases
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert (
        client.post(
            reverse("cases:bulk"), {"cases": [lahore.pk], "to_state": "under_inquiry"}
        ).status_code
        == 403
    )
    client.force_login(world.users[Role.SECRETARIAT])
    bulk = form_with(client.get(reverse("cases:list")), "cases", action=reverse("cases:bulk"))
    for control in bulk.controls:
        if control.name == "cases" and control.value in (str(lahore.pk), str(multan.pk)):
            control.checked = True
    bulk.fill(to_state="under_inquiry").submit(client)
    assert "already sent" in bulk.submit(client, follow=True).content.decode()
    assert set(Case.objects.values_list("state", flat=True)) == {"under_inquiry"}
    assert CaseEvent.objects.filter(kind="state").count() == 2
    client.force_login(world.users[Role.AUDITOR])
    page = client.get(reverse("cases:detail", args=[lahore.pk])).content.decode()
    assert "Trail" in page and "State changed from “open” to “under inquiry”" in page
    assert "under_inquiry" not in page


def test_an_officials_history(client, world, cases):
    lahore, _ = cases
    client.force_login(world.users[Role.SECRETARIAT])
    official = world.officials["LHR-REV"]
    page = client.get(reverse("cases:official", args=[official.pk])).content.decode()
    assert official.name in page and reverse("cases:detail", args=[lahore.pk]) in page
    client.force_login(world.users[Role.OFFICE_HEAD])  # Multan health: not theirs
    assert client.get(reverse("cases:official", args=[official.pk])).status_code == 404


def test_my_cases_are_those_i_own(client, world, cases):
    lahore, _ = cases
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    mine = client.get(reverse("cases:list"), {"mine": "1"}).content.decode()
    assert reverse("cases:detail", args=[lahore.pk]) in mine
    client.force_login(world.users[Role.SECRETARIAT])
    assert (
        reverse("cases:detail", args=[lahore.pk])
        not in client.get(reverse("cases:list"), {"mine": "1"}).content.decode()
    )


def open_case_form(client, feedback):
    listing = client.get(reverse("feedback-list")).content.decode()
    url = reverse("cases:open-by-hand", args=[feedback.pk])
    assert url in listing
    return form_with(client.get(url), "reason")


def test_a_reviewer_opens_a_case_from_the_feedback_page_saying_why(client, world):
    feedback = complaint(category="other_complaint")
    client.force_login(world.users[Role.SECRETARIAT])
    form = open_case_form(client, feedback)
    assert "kind" not in form.data()  # no kind is pre-chosen
    refused = form.fill(kind="other_complaint").submit(client)
    assert refused.status_code == 200 and not Case.objects.exists()
    assert "Say why the case is opened." in refused.content.decode()
    reason = "The citizen describes a refusal to register the deed."
    form = form_with(refused, "reason").fill(reason=reason)
    response = form.submit(client)
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert (case.kind, case.opened_by) == ("other_complaint", world.users[Role.SECRETARIAT])
    opened = case.events.get(kind="opened")
    assert (opened.actor, opened.note) == (world.users[Role.SECRETARIAT], reason)
    again = form.submit(client)  # sent twice: one case, one complaint
    assert again.url == reverse("cases:detail", args=[case.pk])  # where the first one led
    assert "already sent" in client.get(again.url).content.decode()  # not refused as evidence
    assert Case.objects.get().complaints == 1
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    url = reverse("cases:open-by-hand", args=[feedback.pk])
    assert client.post(url, {"kind": "bribe", "reason": "x"}).status_code == 403


def test_satisfied_feedback_becomes_evidence_only_through_a_recorded_correction(client, world):
    satisfied = complaint(category="satisfied")
    reviewer = world.users[Role.SECRETARIAT]
    client.force_login(reviewer)
    form = open_case_form(client, satisfied)
    page = form.fill(kind="bribe", reason="He told the agent he paid").submit(client)
    assert page.status_code == 200 and not Case.objects.exists()
    assert "counted as “satisfied”, not as a complaint of bribe" in page.content.decode()
    satisfied.refresh_from_db()
    assert satisfied.category == "satisfied" and not satisfied.corrections.exists()
    form_with(page, "reason").fill(correct=True).submit(client)
    case = Case.objects.get()
    satisfied.refresh_from_db()
    assert satisfied.category == "bribe" and satisfied.case_evidence.case == case
    correction = satisfied.corrections.get()
    assert (correction.by, correction.from_category, correction.to_category) == (
        reviewer,
        "satisfied",
        "bribe",
    )
    assert correction.reason == "He told the agent he paid"
    trail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "A complaint&#x27;s category corrected from “satisfied” to “bribe”" in trail
    assert "He told the agent he paid" in trail


def test_attachments_are_served_only_to_those_who_see_the_case(
    client, world, cases, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    lahore, _ = cases
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    letter = SimpleUploadedFile(
        "notice.pdf", b"%PDF-1.4 show-cause", content_type="application/pdf"
    )
    form = case_form(client, lahore, "taken_on").fill(kind="show_cause")
    client.post(form.action, {**form.data(), "attachment": letter})
    action = lahore.actions.get()
    url = reverse("cases:attachment", args=[action.pk])
    assert url in client.get(reverse("cases:detail", args=[lahore.pk])).content.decode()
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 show-cause"
    client.force_login(world.users[Role.OFFICE_HEAD])  # Multan
    assert client.get(url).status_code == 404


def test_the_home_page_counts_my_cases(client, world, cases):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert "<strong>1</strong> active case with me" in client.get(reverse("home")).content.decode()
