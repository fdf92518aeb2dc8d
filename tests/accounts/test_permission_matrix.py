"""Every role through every URL (GET and POST) and every admin page and action.

The expected table below is written by hand, independently of `cfmp.accounts.permissions`:
each URL has two strings, for GET and for POST, one letter per role in ROLES' order:
  A  allowed (the page answered: 2xx, a redirect elsewhere than sign-in, or 400 on empty input)
  D  denied (403, 401, 405, or a redirect to sign-in)
  N  not found (404: outside the role's scope, or no such object for it)
For gateways' and devices' doors the letters only show that no session opens them: what
matters there is the key (tests/accounts/test_keys.py and the gateways' own tests).
A URL that is missing from the table fails the test, so a new page is placed in it on purpose.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.accounts.permissions import (
    all_doors,
    allowed,
    channel_doors,
    machine_credentials,
    permission_for,
)
from cfmp.cases.models import Action, Case
from cfmp.cases.services import file_complaints, record_action
from cfmp.core import quarantine
from cfmp.core.models import Pipeline
from cfmp.intake.models import WEB_SOURCE_CODE, ImportJob, SourceSystem
from cfmp.kiosk import services as kiosk_services
from cfmp.kiosk.models import KioskEvent
from cfmp.reports.models import Alert
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db

# anonymous, secretariat, department officer, district officer, office head, call-centre agent,
# data-entry operator, auditor
ROLES = (
    None,
    Role.SECRETARIAT,
    Role.DEPARTMENT_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.OFFICE_HEAD,
    Role.CALL_CENTRE_AGENT,
    Role.DATA_ENTRY_OPERATOR,
    Role.AUDITOR,
)
AUDITOR = ROLES.index(Role.AUDITOR)

#        URL name                       GET         POST
EXPECTED: dict[str, tuple[str, str]] = {
    "home": ("DAAAAAAA", "DAAAAAAA"),
    "healthz": ("AAAAAAAA", "DDDDDDDD"),
    "security-txt": ("AAAAAAAA", "DDDDDDDD"),
    "login": ("AAAAAAAA", "AAAAAAAA"),
    "logout": ("DDDDDDDD", "DDDDDDDD"),  # POST signs out: a redirect to sign-in
    "password_change": ("DAAAAAAA", "DAAAAAAA"),
    "password_change_done": ("DAAAAAAA", "DDDDDDDD"),
    "password_reset": ("AAAAAAAA", "AAAAAAAA"),
    "password_reset_done": ("AAAAAAAA", "DDDDDDDD"),
    "password_reset_confirm": ("AAAAAAAA", "AAAAAAAA"),
    "password_reset_complete": ("AAAAAAAA", "DDDDDDDD"),
    "two-factor-setup": ("DAAAAAAA", "DAAAAAAA"),
    "two-factor-verify": ("DAAAAAAA", "DAAAAAAA"),
    "sign-in-log": ("DADDDDDD", "DADDDDDD"),
    "set_language": ("AAAAAAAA", "AAAAAAAA"),
    "registry:office-list": ("DAAAAAAA", "DAAAAAAA"),
    "registry:office-detail": ("DAAANANA", "DAAANANA"),
    "registry:official-list": ("DAAAAAAA", "DAAAAAAA"),
    "intake:transaction-list": ("DAAAAAAA", "DAAAAAAA"),
    "intake:transaction-new": ("DADDDDAD", "DADDDDAD"),
    "intake:upload": ("DADDDDAD", "DADDDDAD"),
    "intake:import-job": ("DANNNNAN", "DANNNNAN"),
    "intake:import-job-errors": ("DANNNNAN", "DANNNNAN"),
    "intake:data-quality": ("DAAAAAAA", "DAAAAAAA"),
    "api-transactions": ("DDDDDDDD", "DDDDDDDD"),
    "api-transaction-detail": ("DDDDDDDD", "DDDDDDDD"),
    "outreach-overview": ("DAAAAAAA", "DAAAAAAA"),
    "outreach-history": ("DADDDADD", "DADDDADD"),
    "kannel-dlr": ("AAAAAAAA", "DDDDDDDD"),  # 400: no attempt named; no session opens it
    "voice-prompt": ("NNNNNNNN", "DDDDDDDD"),
    "voice-twilio-answer": ("DDDDDDDD", "DDDDDDDD"),
    "voice-twilio-gather": ("DDDDDDDD", "DDDDDDDD"),
    "voice-twilio-status": ("DDDDDDDD", "DDDDDDDD"),
    "kannel-inbound": ("DDDDDDDD", "DDDDDDDD"),
    "sms-webhook": ("DDDDDDDD", "DDDDDDDD"),
    "feedback-list": ("DAAAAAAA", "DAAAAAAA"),
    "feedback-review": ("DADDDADD", "DADDDADD"),
    "feedback-review-decide": ("DDDDDDDD", "DNDDDNDD"),  # not in the queue: N
    "call-console": ("DADDDADD", "DADDDADD"),
    "call-next": ("DDDDDDDD", "DADDDADD"),
    "call-detail": ("DNNNNNNN", "DNDDDNDD"),
    "direct-calls": ("DADDDADD", "DADDDADD"),
    "cases:list": ("DAAAAAAA", "DAAAAAAA"),  # an empty list for roles without cases
    "cases:bulk": ("DDDDDDDD", "DADDDDDD"),
    "cases:detail": ("DAAANNNA", "DAAANNNA"),
    "cases:add-action": ("DDDDDDDD", "DAAADDDD"),
    "cases:move": ("DDDDDDDD", "DAAADDDD"),
    "cases:official": ("DAAANANA", "DAAANANA"),
    "cases:open-by-hand": ("DADDDADD", "DADDDADD"),  # a page since issue 17: GET shows the form
    "cases:attachment": ("DNNNNNNN", "DNNNNNNN"),  # this action has no attachment
    "reports:catalogue": ("DAAAAAAA", "DAAAAAAA"),
    "reports:rankings": ("DAAAAAAA", "DAAAAAAA"),
    "reports:alerts": ("DAAAAAAA", "DAAAAAAA"),
    "reports:who-is-heard": ("DAAAAAAA", "DAAAAAAA"),
    "reports:command-centre": ("DADDDDDA", "DADDDDDA"),
    "reports:command-centre-live": ("DADDDDDA", "DADDDDDA"),
    "reports:acknowledge": ("DDDDDDDD", "DADDDDDD"),
    "reports:report": ("DAAAAAAA", "DAAAAAAA"),
    "reports:download": ("DAAAAAAA", "DAAAAAAA"),
    "kiosk-app": ("AAAAAAAA", "DDDDDDDD"),
    "kiosk-manifest": ("AAAAAAAA", "DDDDDDDD"),
    "kiosk-sw": ("AAAAAAAA", "DDDDDDDD"),
    "kiosk-enrol": ("DDDDDDDD", "AAAAAAAA"),
    "kiosk-config": ("DDDDDDDD", "DDDDDDDD"),
    "kiosk-rotate": ("DDDDDDDD", "DDDDDDDD"),
    "kiosk-heartbeat": ("DDDDDDDD", "DDDDDDDD"),
    "kiosk-visits": ("DDDDDDDD", "DDDDDDDD"),
    # Issue 23: the public scorecards, open to all, read-only (POST: 405). No department is
    # published in this world, so an office's page and widget are not found.
    "public:home": ("AAAAAAAA", "DDDDDDDD"),
    "public:index": ("AAAAAAAA", "DDDDDDDD"),
    "public:office": ("NNNNNNNN", "DDDDDDDD"),
    "public:service": ("NNNNNNNN", "DDDDDDDD"),
    "public:rankings": ("AAAAAAAA", "DDDDDDDD"),
    "public:data": ("AAAAAAAA", "DDDDDDDD"),
    "public:widget": ("NNNNNNNN", "DDDDDDDD"),
    "public:download": ("AAAAAAAA", "DDDDDDDD"),
}
# Documentation of the API, public by design (no data in it).
UNLISTED = {"api-schema", "api-docs", "api-redoc", "javascript-catalog"}

# Admin: which roles may add/change/delete each model and run its writing actions.
ADMIN_WRITERS: dict[str, set[Role]] = {
    "accounts.user": {Role.SECRETARIAT},
    "accounts.identityview": set(),
    "accounts.signinevent": set(),
    "registry.department": {Role.SECRETARIAT},
    "registry.service": {Role.SECRETARIAT},
    "registry.district": {Role.SECRETARIAT},
    "registry.office": {Role.SECRETARIAT},
    "registry.official": {Role.SECRETARIAT},
    "outreach.surveyplan": {Role.SECRETARIAT},
    "outreach.channelsetting": {Role.SECRETARIAT},
    "outreach.holiday": {Role.SECRETARIAT},
    "outreach.optout": {Role.SECRETARIAT},
    "outreach.voiceprompt": {Role.SECRETARIAT},
    "cases.routingrule": {Role.SECRETARIAT},
    "cases.caseevent": set(),
    "feedback.inboundmessage": set(),
    "feedback.feedback": set(),
    "feedback.citizencall": set(),
    "feedback.callrequest": set(),
    "kiosk.kiosk": {Role.SECRETARIAT},
    "kiosk.kioskevent": {Role.SECRETARIAT},
    "core.quarantineditem": {Role.SECRETARIAT},
}
# Models whose admins belong to the libraries (sign-in throttling, second factor): the
# secretariat's alone, read-only for it too except where noted.
LIBRARY_ADMINS_READ_BY = {Role.SECRETARIAT}


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "x.csv").write_text("reference\n")
    (tmp_path / "imports" / "x.errors.csv").write_text("row,errors\n2,bad\n")
    feedback = complaint("LHR-REV")
    file_complaints(feedback_ids=[feedback.pk])
    case = Case.objects.get(office=world.lahore_revenue)
    action = record_action(
        case=case,
        author=world.users[Role.SECRETARIAT],
        kind=Action.Kind.values[0],
        taken_on=dt.date(2026, 3, 3),
    )
    operator = world.users[Role.DATA_ENTRY_OPERATOR]
    job = ImportJob.objects.create(
        source=SourceSystem.objects.get(code=WEB_SOURCE_CODE),
        uploaded_by=operator,
        file="imports/x.csv",
        original_name="x.csv",
        error_file="imports/x.errors.csv",
    )
    alert = Alert.objects.create(
        kind=Alert.Kind.values[0],
        office=world.lahore_revenue,
        week_end=dt.date(2026, 3, 1),
        observed=5,
        out_of=10,
        reference_rate=0.1,
        peer_rate=0.1,
        p_value=0.01,
        q_value=0.01,
        created_at=timezone.now(),
    )
    kiosk, _ = kiosk_services.register_kiosk(
        office=world.lahore_revenue, name="Front desk", by=world.users[Role.SECRETARIAT]
    )
    event = KioskEvent.objects.create(
        kiosk=kiosk, kind=KioskEvent.Kind.values[0], detail="lid opened", at=timezone.now()
    )
    quarantine.record_failure(pipeline=Pipeline.ALERTS, item="2026-W10", error="boom")
    return {
        "feedback": feedback,
        "case": case,
        "action": action,
        "job": job,
        "alert": alert,
        "kiosk": kiosk,
        "event": event,
    }


def _kwargs(name: str, objects: dict) -> dict:
    case, job = objects["case"], objects["job"]
    return {
        "registry:office-detail": {"code": "LHR-REV"},
        "intake:import-job": {"job_id": job.pk},
        "intake:import-job-errors": {"job_id": job.pk},
        "api-transaction-detail": {"reference": "R1"},
        "voice-prompt": {"plan_id": 1, "language": "en", "name": "opening"},
        "voice-twilio-answer": {"attempt_id": 1},
        "voice-twilio-gather": {"attempt_id": 1},
        "voice-twilio-status": {"attempt_id": 1},
        "feedback-review-decide": {"pk": objects["feedback"].pk},
        "call-detail": {"pk": 10**9},
        "cases:detail": {"pk": case.pk},
        "cases:add-action": {"pk": case.pk},
        "cases:move": {"pk": case.pk},
        "cases:official": {"pk": case.official_id},
        "cases:open-by-hand": {"feedback_pk": objects["feedback"].pk},
        "cases:attachment": {"pk": objects["action"].pk},
        "reports:acknowledge": {"pk": objects["alert"].pk},
        "reports:report": {"name": "transactions-by-province-month"},
        "reports:download": {"name": "transactions-by-province-month", "fmt": "csv"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "public:index": {"lang": "en"},
        "public:office": {"lang": "ur", "code": "LHR-REV"},
        "public:service": {"lang": "en", "code": "fard"},
        "public:rankings": {"lang": "ur"},
        "public:data": {"lang": "en"},
        "public:widget": {"lang": "en", "code": "LHR-REV"},
        "public:download": {"name": "scorecards", "fmt": "csv"},
    }.get(name, {})


def _url_names(patterns=None, prefix: str = "") -> list[str]:
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(prefix + pattern.name)
    return names


def _verdict(response) -> str:
    status = response.status_code
    if status == 404:
        return "N"
    if status in (401, 403, 405):
        return "D"
    if status in (301, 302, 303) and "/accounts/login/" in response.get("Location", ""):
        return "D"
    if status < 500:
        return "A"
    raise AssertionError(f"{status} from {response.request['PATH_INFO']}")


def test_every_url_is_in_the_expected_table():
    names = set(_url_names()) - UNLISTED
    assert names - set(EXPECTED) - set(channel_doors()) == set(), "place new pages in EXPECTED"
    assert set(EXPECTED) - names == set(), "EXPECTED names pages that no longer exist"


def test_no_session_opens_a_channel_types_door(client, world, settings):
    """A channel type's callbacks (`ChannelType.doors`) not placed in EXPECTED by hand: each
    role's session gets what an anonymous caller gets, and a POST never gets through (only
    the gateway's credential opens them: the type's own tests)."""
    settings.CFMP_REQUIRE_2FA = False
    declared = {
        name for name in set(channel_doors()) - set(EXPECTED) if not name.startswith("command:")
    }
    for name in sorted(declared):
        url = reverse(name)
        seen = set()
        for role in ROLES:
            client.logout()
            if role is not None:
                client.force_login(world.users[role])
            seen.add((_verdict(client.get(url)), _verdict(client.post(url, {}))))
        assert len(seen) == 1 and next(iter(seen))[1] == "D", (name, seen)


def test_role_by_url_matrix(client, world, objects, settings):
    settings.CFMP_REQUIRE_2FA = False
    observed: dict[str, list[str]] = {}
    for name in sorted(EXPECTED):
        url = reverse(name, kwargs=_kwargs(name, objects))
        rows = ["", ""]
        for role in ROLES:
            client.logout()
            if role is not None:
                client.force_login(world.users[role])
            rows[0] += _verdict(client.get(url))
            rows[1] += _verdict(client.post(url, {}))
        observed[name] = rows
    mismatches = {
        name: (EXPECTED[name], tuple(rows))
        for name, rows in observed.items()
        if tuple(rows) != EXPECTED[name]
    }
    assert mismatches == {}, "\n".join(
        f"{name}: expected {e}, observed {o}" for name, (e, o) in mismatches.items()
    )


def test_the_auditor_never_writes_through_a_page():
    """No page that writes (a door) takes the auditor's post; the pages outside DOORS only
    read (a POST to them renders the same page)."""
    writes = {
        door
        for door, perm in all_doors().items()
        if perm not in machine_credentials() and perm != "account.own"
    }
    for name, (_, post) in EXPECTED.items():
        if name in writes:
            assert post[AUDITOR] != "A", name


def test_every_door_that_writes_names_a_known_permission(world):
    from cfmp.accounts.permissions import _rules

    for door, permission in all_doors().items():
        assert permission in _rules() or permission in machine_credentials(), door
    # A page that accepted a POST from a role agrees with the door's rule for that role.
    for name, (_, post) in EXPECTED.items():
        if name not in all_doors() or permission_for(name) in machine_credentials():
            continue
        for role, letter in zip(ROLES[1:], post[1:], strict=True):
            if letter == "A":
                assert allowed(world.users[role], name), (name, role)
            if letter == "D":
                assert not allowed(world.users[role], name), (name, role)


def test_every_management_command_states_its_permission():
    from django.core.management import get_commands

    ours = {name for name, app in get_commands().items() if app.startswith("cfmp.")}
    assert {f"command:{name}" for name in ours} - set(all_doors()) == set()


def _admin_models():
    return {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }


def test_every_admin_model_and_action_is_in_the_expected_tables():
    for label, model_admin in _admin_models().items():
        if not model_admin.__module__.startswith("cfmp."):
            continue
        assert label in ADMIN_WRITERS, label
        assert f"admin:{label}" in all_doors(), label
        for action in model_admin.actions or ():
            name = action if isinstance(action, str) else action.__name__
            assert f"admin:{label}:{name}" in all_doors(), (label, name)


def _action_names(model_admin) -> list[str]:
    names = ["delete_selected"]
    for action in model_admin.actions or ():
        names.append(action if isinstance(action, str) else action.__name__)
    return names


def test_role_by_admin_model_and_action_matrix(client, world, objects):
    """Adding, and every action (the custom ones and delete), posted by every role: only the
    expected writers get through; the read-only auditor and the officers never do."""
    for label, model_admin in _admin_models().items():
        model = model_admin.model
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        first = model_admin.get_queryset(_request_as(world.users[Role.SECRETARIAT])).first()
        writers = ADMIN_WRITERS.get(label, set())
        for role in ROLES[1:]:
            client.force_login(world.users[role])
            may_write = role in writers
            response = client.post(add, {})
            assert (response.status_code == 200) == (
                may_write and model_admin.has_add_permission(_request_as(world.users[role]))
            ), (label, role, response.status_code)
            names = _action_names(model_admin)
            # every admin with actions of its own has a row here to run them on
            assert first is not None or names <= ["delete_selected"], label
            for name in names if first is not None else []:
                response = client.post(
                    changelist,
                    {"action": name, "_selected_action": [first.pk], "index": 0},
                )
                ran = _action_ran(client, response)
                expected = may_write and name in model_admin.get_actions(
                    _request_as(world.users[Role.SECRETARIAT])
                )
                assert ran == expected, (label, name, role)


def _request_as(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _action_ran(client, response) -> bool:
    """Django's admin answers an action it refuses with "No action selected" and a redirect
    (or 403/302 to sign-in when the list itself is refused)."""
    if response.status_code in (302,) and "/login/" in response.get("Location", ""):
        return False
    if response.status_code in (403, 404):
        return False
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    if any("No action selected" in text for text in texts):
        return False
    # delete_selected answers its confirmation page; the custom actions redirect. A refused
    # action (none offered) renders the list again.
    if response.status_code == 200:
        return any(
            "delete_selected_confirmation" in (t.name or "") for t in response.templates or ()
        )
    return response.status_code == 302


def test_an_officer_cannot_mint_a_kiosk_enrolment_code(client, world, objects):
    """The finding of the security review, end to end: the officer's post changes nothing."""
    kiosk = objects["kiosk"]
    before = kiosk.enrolment_code_hash
    url = reverse("admin:kiosk_kiosk_changelist")
    for role in (Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER, Role.AUDITOR):
        client.force_login(world.users[role])
        client.post(url, {"action": "new_enrolment_code", "_selected_action": [kiosk.pk]})
        client.post(url, {"action": "revoke", "_selected_action": [kiosk.pk]})
        kiosk.refresh_from_db()
        assert kiosk.enrolment_code_hash == before and kiosk.revoked_at is None, role
        events = reverse("admin:kiosk_kioskevent_changelist")
        client.post(events, {"action": "acknowledge", "_selected_action": [objects["event"].pk]})
        objects["event"].refresh_from_db()
        assert objects["event"].acknowledged_at is None, role
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(url, {"action": "new_enrolment_code", "_selected_action": [kiosk.pk]})
    kiosk.refresh_from_db()
    assert kiosk.enrolment_code_hash != before
