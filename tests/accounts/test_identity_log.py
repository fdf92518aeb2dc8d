"""The identity access log, checked over every page: any page or download that shows a
citizen's number or name writes the log, and the log itself never holds one."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import IdentityView, Role
from cfmp.feedback.models import CitizenCall, Feedback
from cfmp.feedback.services import classify_message, receive_sms
from tests.accounts.test_permission_matrix import EXPECTED, _kwargs, objects  # noqa: F401
from tests.outreach.support import queued_sms_attempt

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"(\+92|0)3\d{2}[- ]?\d{7}")
NAME = "Asif Khan"
# The views known to show identities, with the purpose they log under: the test below
# also finds any page that shows one without being listed here.
IDENTITY_VIEWS = {
    "intake:transaction-list": "transactions",
    "intake:import-job-errors": "import_errors",
    "feedback-list": "feedback",
    "feedback-review": "review",
    "call-console": "call_console",
    "direct-calls": "direct_call",
    "outreach-history": "contact_history",
}


SEARCHES = {"outreach-history": {"mobile": "03005551234"}}


@pytest.fixture
def identities(world, monkeypatch, request):
    survey = queued_sms_attempt(monkeypatch, citizen_name=NAME).survey
    made = request.getfixturevalue("objects")  # after the survey: it plans every transaction
    message = receive_sms(
        gateway="kannel",
        gateway_message_id="m1",
        sender="03005551234",
        text="kuch samajh nahi aya",
        received_at=survey.created_at,
    ).message
    feedback = classify_message(message_id=message.pk)
    Feedback.objects.filter(pk=feedback.pk).update(needs_review=True)  # in the review queue
    agent = world.users[Role.CALL_CENTRE_AGENT]
    for direct_caller in ("", "Deputy Commissioner"):
        CitizenCall.objects.create(
            logged_by=agent,
            direct_caller=direct_caller,
            mobile="+923005551234",
            called_at=timezone.now(),
            outcome=CitizenCall.Outcome.values[0],
        )
    with open(made["job"].error_file.path, "w", encoding="utf-8") as out:
        out.write("row,errors,citizen_name,mobile\n2,bad date,Asif Khan,03005551234\n")
    return made


def _shows_identity(body: str) -> bool:
    return bool(NUMBER.search(body)) or NAME in body


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "role", [Role.SECRETARIAT, Role.CALL_CENTRE_AGENT, Role.DATA_ENTRY_OPERATOR]
)
def test_every_page_that_shows_an_identity_writes_the_log(client, world, identities, role):
    """Every URL of the permission matrix, with a search by number where a page takes one:
    a page whose answer holds a citizen's number or name has written one log row for it.
    (Searches are given only to the pages that take them: every page echoes its query
    string in the language switch, which is the user's own input, not a citizen's record.)"""
    client.force_login(world.users[role])
    unlogged, shown = [], set()
    for name in sorted(EXPECTED):
        if name in ("logout",):
            continue
        url = reverse(name, kwargs=_kwargs(name, identities))
        before = IdentityView.objects.count()
        response = client.get(url, SEARCHES.get(name, {}))
        if response.status_code != 200 or not _shows_identity(_body(response)):
            continue
        shown.add(name)
        if IdentityView.objects.count() == before:
            unlogged.append(name)
    assert unlogged == []
    assert shown <= set(IDENTITY_VIEWS), shown - set(IDENTITY_VIEWS)


def test_each_listed_view_logs_under_its_purpose(client, world, identities):
    for name, purpose in IDENTITY_VIEWS.items():
        role = {"import_errors": Role.DATA_ENTRY_OPERATOR, "call_console": Role.CALL_CENTRE_AGENT}
        role = role.get(purpose, Role.SECRETARIAT)
        client.force_login(world.users[role])
        url = reverse(name, kwargs=_kwargs(name, identities))
        response = client.get(url, SEARCHES.get(name, {}))
        assert response.status_code == 200, name
        _body(response)
        assert IdentityView.objects.filter(purpose=purpose).exists(), name


def test_every_admin_page_that_shows_an_identity_writes_the_log(client, world, identities):
    client.force_login(world.users[Role.SECRETARIAT])
    unlogged = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{prefix}_changelist")]
        first = model_admin.get_queryset(_request(world.users[Role.SECRETARIAT])).first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
        for page in pages:
            before = IdentityView.objects.count()
            response = client.get(page)
            shows = response.status_code == 200 and NUMBER.search(_body(response))
            if shows and IdentityView.objects.count() == before:
                unlogged.append(page)
    assert unlogged == []


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_log_never_holds_a_number_a_name_or_a_cnic(client, world, identities):
    client.force_login(world.users[Role.SECRETARIAT])
    for name in IDENTITY_VIEWS:
        url = reverse(name, kwargs=_kwargs(name, identities))
        _body(client.get(url, {"mobile": "+923005551234", "cnic": "35202-1234567-1", "q": NAME}))
    _body(client.get(reverse("admin:feedback_inboundmessage_changelist"), {"q": "03005551234"}))
    rows = list(IdentityView.objects.values())
    assert rows
    text = repr(rows)
    assert not NUMBER.search(text) and "923005551234" not in text
    assert NAME not in text and "Asif" not in text and "35202" not in text
    assert all("?" not in row["path"] for row in rows)
