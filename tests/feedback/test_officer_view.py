"""Officials read what citizens said, never who said it."""

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.feedback.privacy import mask_reply
from cfmp.feedback.services import classify_message, receive_sms
from tests.outreach.support import queued_sms_attempt

TEXT = "Asif Khan here, clerk ne 2000 rupay liye. call me 0300-5551234"


@pytest.fixture
def bribe_complaint(world, monkeypatch):
    survey = queued_sms_attempt(monkeypatch, citizen_name="Asif Khan").survey
    message = receive_sms(
        gateway="kannel",
        gateway_message_id="b1",
        sender="03005551234",
        text=TEXT,
        received_at=survey.created_at,
    ).message
    return classify_message(message_id=message.pk)


@pytest.mark.django_db
def test_a_district_officer_sees_the_complaint_masked(client, world, bribe_complaint):
    assert bribe_complaint.category == "bribe" and bribe_complaint.transaction is not None
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore: the office is theirs
    page = client.get(reverse("feedback-list"), {"category": "bribe"}).content.decode()
    assert "clerk ne 2000 rupay liye" in page
    for identifying in ("Asif", "Khan", "5551234", "+923005551234", "+92 300"):
        assert identifying not in page


@pytest.mark.django_db
def test_identity_roles_see_the_reply_whole_and_others_outside_scope_nothing(
    client, world, bribe_complaint
):
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("feedback-list")).content.decode()
    assert TEXT in page and "+923005551234" in page
    client.force_login(world.users[Role.OFFICE_HEAD])  # MUL-HLT
    assert "2000 rupay" not in client.get(reverse("feedback-list")).content.decode()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mera number 0300-1234567 hai", "mera number ••• hai"),
        ("CNIC 35202-1234567-1 wala", "CNIC ••• wala"),
        ("فون ۰۳۰۰۱۲۳۴۵۶۷ پر", "فون ••• پر"),
        ("2000 liye, 3 din", "2000 liye, 3 din"),
        ("Zahida bibi ne kaha", "[…] bibi ne kaha"),
    ],
)
def test_numbers_and_the_citizens_name_are_masked(text, masked):
    assert mask_reply(text, citizen_name="Zahida Parveen") == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # numbers in any grouping, separators and script
        ("call me 032198 / 76543 please", "call me ••• please"),
        ("(0321) 98-76-543 pe rabta", "••• pe rabta"),
        ("0 3 2 1 9 8 7 6 5 4 3", "•••"),
        ("شناختی کارڈ ۳۵۲۰۲-۱۲۳۴۵۶۷-۱ ہے", "شناختی کارڈ ••• ہے"),
        ("cnic 35202.1234567.1", "cnic •••"),
        ("+92 321 9876543", "•••"),
        ("٠٣٢١٩٨٧٦٥٤٣", "•••"),  # Arabic-Indic digits
        # amounts are evidence: kept
        ("Rs 10,00,000 mangay", "Rs 10,00,000 mangay"),
        ("1500000 rupay mange", "1500000 rupay mange"),
        ("2000 liye", "2000 liye"),
        # names in the other script, and names a citizen states
        ("کرن نے شکایت کی", "[…] نے شکایت کی"),
        ("Kiraan ne bataya", "[…] ne bataya"),
        ("my name is Sadia Noreen and I paid", "my name is […] […] and I paid"),
        ("mera naam Rubina hai, paise mange", "mera naam […] hai, paise mange"),
        ("میرا نام صائمہ ہے", "میرا نام […] ہے"),
        ("us ka naam Tariq tha jis ne paise liye", "us ka naam […] tha jis ne paise liye"),
        ("office mein 500 mangay, kaam late", "office mein 500 mangay, kaam late"),
    ],
)
def test_identifying_text_is_masked_in_any_form(text, masked):
    assert mask_reply(text, citizen_name="Kiran Bibi") == masked


def test_officials_names_are_masked_in_either_script():
    assert mask_reply("آصف صاحب نے پیسے مانگے", other_names=["Asif Mehmood"]) == (
        "[…] صاحب نے پیسے مانگے"
    )


@pytest.mark.django_db
def test_officials_names_in_replies_are_masked_on_the_page_read_once_per_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cfmp.feedback.models import Feedback
    from tests.cases.support import complaint

    official = world.officials["LHR-REV"]
    first = official.name.split()[0]
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore
    url = reverse("feedback-list")

    def queries_with(replies: int) -> int:
        for _ in range(replies - Feedback.objects.count()):
            item = complaint("LHR-REV", official=official.employee_code)
            item.note = f"{first} sahib ne 2000 liye"
            item.save()
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        texts = [row["text"] for row in page.context["items"]]
        assert texts and all(first not in text and "[…] sahib" in text for text in texts)
        return len(captured)

    assert queries_with(1) == queries_with(4)  # the officials' names: one query, any rows
