"""What officers write on a case is read masked below the identity roles, the writer is
warned, and an attachment opens only for those it is addressed to (issue 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.cases.models import Case
from cfmp.cases.services import file_complaints
from tests.cases.support import complaint
from tests.forms import form_with

pytestmark = pytest.mark.django_db

NOTE = "Asif Khan told us the clerk took Rs 2000; his number is 0300-7654321"
WARNING = "seems to name a person or hold a phone or CNIC number"


@pytest.fixture
def multan(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file_complaints(feedback_ids=[complaint("MUL-HLT", official="MUL-HLT-1").pk])
    return Case.objects.get(office=world.multan_health)


def _record(client, case, *, note, file_name, audience=None):
    form = form_with(client.get(reverse("cases:detail", args=[case.pk])), "taken_on")
    assert form.data()["attachment_audience"] == "identity"  # the narrower, unless chosen
    data = {**form.fill(kind="show_cause", note=note).data()}
    if audience:
        data["attachment_audience"] = audience
    letter = SimpleUploadedFile(file_name, b"%PDF-1.4 notice", content_type="application/pdf")
    return client.post(form.action, {**data, "attachment": letter}, follow=True)


def test_a_note_naming_the_complainant_is_masked_below_the_identity_roles(client, world, multan):
    client.force_login(world.users[Role.SECRETARIAT])
    answer = _record(client, multan, note=NOTE, file_name="asif-khan-0300-7654321.pdf")
    assert WARNING in answer.content.decode()  # warned, not refused
    action = multan.actions.get()
    assert action.note == NOTE
    url = reverse("cases:attachment", args=[action.pk])
    whole = client.get(reverse("cases:detail", args=[multan.pk])).content.decode()
    assert NOTE in whole and url in whole

    client.force_login(world.users[Role.OFFICE_HEAD])  # Multan health: their office
    page = client.get(reverse("cases:detail", args=[multan.pk])).content.decode()
    for identity in ("Asif", "Khan", "0300-7654321", "7654321"):
        assert identity not in page
    assert "the clerk took Rs 2000" in page  # what happened stays
    assert url not in page and "for the secretariat only" in page
    assert client.get(url).status_code == 404


def test_an_attachment_addressed_to_all_who_see_the_case_opens_with_its_name_masked(
    client, world, multan
):
    client.force_login(world.users[Role.SECRETARIAT])
    _record(client, multan, note="", file_name="asif-khan-notice.pdf", audience="case")
    action = multan.actions.get()
    assert action.attachment_audience == "case"
    client.force_login(world.users[Role.OFFICE_HEAD])
    response = client.get(reverse("cases:attachment", args=[action.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 notice"
    disposition = response["Content-Disposition"]
    assert "notice.pdf" in disposition and "asif" not in disposition.lower()


def test_the_author_opens_their_own_attachment(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file_complaints(feedback_ids=[complaint().pk])
    lahore = Case.objects.get(office=world.lahore_revenue)
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    _record(client, lahore, note="notice served", file_name="notice.pdf")
    url = reverse("cases:attachment", args=[lahore.actions.get().pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 notice"
    client.force_login(world.users[Role.DEPARTMENT_OFFICER])  # sees the case, not addressed
    assert client.get(reverse("cases:detail", args=[lahore.pk])).status_code == 200
    assert client.get(url).status_code == 404


def test_a_dismissal_reason_and_the_trail_are_masked_and_a_plain_reason_warns_nobody(
    client, world, multan
):
    client.force_login(world.users[Role.SECRETARIAT])
    form = form_with(client.get(reverse("cases:detail", args=[multan.pk])), "to_state")
    reason = "Asif Khan withdrew: called from 0300 765 4321"
    answer = form.fill(to_state="dismissed", reason=reason).submit(client, follow=True)
    assert WARNING in answer.content.decode()
    multan.refresh_from_db()
    assert multan.state == "dismissed" and multan.dismissal_reason == reason
    client.force_login(world.users[Role.OFFICE_HEAD])
    page = client.get(reverse("cases:detail", args=[multan.pk])).content.decode()
    assert "withdrew" in page and "Asif" not in page and "765 4321" not in page
    client.force_login(world.users[Role.AUDITOR])  # reads the trail
    trail = client.get(reverse("cases:detail", args=[multan.pk])).content.decode()
    assert "Trail" in trail and "withdrew" in trail and "Asif" not in trail
    client.force_login(world.users[Role.SECRETARIAT])
    form = form_with(client.get(reverse("cases:detail", args=[multan.pk])), "to_state")
    plain = form.fill(to_state="open", reason="new evidence from the district").submit(
        client, follow=True
    )
    assert "Case updated" in plain.content.decode() and WARNING not in plain.content.decode()
