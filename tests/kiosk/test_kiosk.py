"""Kiosks: registration and device credentials, visits becoming feedback exactly once,
office-bound keys, fingerprints (no image kept, a daily limit per person, linking to the
citizen's transaction), abuse and tamper signs, and kiosk feedback flowing into cases,
reports and the command centre like any other."""

import base64
import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.models import Case
from cfmp.feedback.models import CallRequest, Feedback
from cfmp.intake.cnic import protect_cnic
from cfmp.intake.models import Transaction
from cfmp.kiosk import services
from cfmp.kiosk.models import KioskEvent, KioskVisit
from cfmp.reports import command_centre
from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.rollups import refresh_rollups
from cfmp.reports.selectors import province_summary, run_report
from tests.cases.support import transaction_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(world):
    """LHR-REV's kiosk, enrolled: (kiosk, its key)."""
    _, code = services.register_kiosk(
        office=world.lahore_revenue, name="LHR-REV gate", by=world.users[Role.SECRETARIAT]
    )
    enrolled = services.enrol_device(code=code)
    assert enrolled is not None
    return enrolled


def headers(key: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Kiosk {key}", **extra}


def visit(**fields) -> dict:
    return {"client_id": str(uuid.uuid4()), "service": "fard", "rating": "money",
            "given_at": timezone.now().isoformat(), **fields}  # fmt: skip


def post(client, key: str, body: dict, **extra):
    return client.post(reverse("kiosk-visits"), body, content_type="application/json",
                       **headers(key, **extra))  # fmt: skip


def finger(cnic: str) -> str:
    return base64.b64encode(f"SIM:{cnic}".encode()).decode()


def test_a_kiosk_enrols_once_with_its_code_and_gets_its_office(client, world):
    _, code = services.register_kiosk(
        office=world.lahore_revenue, name="gate", by=world.users[Role.SECRETARIAT]
    )
    enrolled = client.post(
        reverse("kiosk-enrol"), {"code": code.lower()}, content_type="application/json"
    )
    assert enrolled.status_code == 201
    body = enrolled.json()
    assert body["office"]["code"] == "LHR-REV" and "fard" in {s["code"] for s in body["services"]}
    again = client.post(reverse("kiosk-enrol"), {"code": code}, content_type="application/json")
    assert again.status_code == 400  # one time only
    config = client.get(reverse("kiosk-config"), **headers(body["key"]))
    assert config.status_code == 200 and config.json()["kiosk"] == "gate"


def test_an_enrolment_code_expires(world):
    now = timezone.now()
    _, code = services.register_kiosk(office=world.lahore_revenue, name="gate",
                                      by=world.users[Role.SECRETARIAT], now=now)  # fmt: skip
    assert services.enrol_device(code=code, now=now + dt.timedelta(hours=49)) is None


def test_a_visit_becomes_kiosk_feedback_once_however_often_it_is_sent(client, kiosk):
    _, key = kiosk
    item = visit(rating="money", amount=2000, comment="ارجنٹ فیس کے نام پر پیسے")
    first = post(client, key, item)
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = post(client, key, item)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.category, feedback.bribe_amount) == ("kiosk", "bribe", 2000)
    assert feedback.office.code == "LHR-REV" and feedback.service.code == "fard"
    assert feedback.transaction is None and "پیسے" in feedback.note
    # A batch kept offline: the one sent before is a duplicate, the others are new, in order.
    batch = [item, visit(rating="satisfied"), visit(rating="delay")]
    results = post(client, key, {"visits": batch}).json()["results"]
    assert [r["status"] for r in results] == ["duplicate", "created", "created"]
    assert Feedback.objects.count() == 3 and KioskVisit.objects.count() == 3


def test_a_kiosk_key_cannot_post_for_another_office_and_a_revoked_kiosk_is_refused(
    client, kiosk, world
):
    registered, key = kiosk
    refused = post(client, key, visit(office="MUL-REV"))
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_office"
    # Nor a service another office gives (police certificates are not LHR-REV's).
    assert post(client, key, visit(service="character-certificate")).status_code == 400
    assert not Feedback.objects.exists()
    services.revoke_kiosk(kiosk=registered)
    assert post(client, key, visit()).status_code == 401
    assert not Feedback.objects.exists()
    assert KioskEvent.objects.get().kind == "revoked_use"


def test_a_kiosk_rotates_its_key_and_the_old_one_stops_working(client, kiosk):
    _, old = kiosk
    rotated = client.post(reverse("kiosk-rotate"), **headers(old))
    assert rotated.status_code == 201
    new = rotated.json()["key"]
    assert post(client, old, visit()).status_code == 401
    assert post(client, new, visit()).status_code == 201


def test_a_burst_of_visits_is_rate_limited_and_shown_to_the_secretariat(client, kiosk):
    _, key = kiosk
    at = timezone.now() - dt.timedelta(minutes=10)
    statuses = [
        post(client, key, visit(given_at=(at + dt.timedelta(seconds=n)).isoformat())).status_code
        for n in range(7)
    ]
    assert statuses == [201] * 6 + [429]
    assert KioskEvent.objects.get().kind == "rate_limited"
    # Visits kept offline come together but were given apart: all taken.
    later = at + dt.timedelta(minutes=5)  # still in the past: given while offline
    spread = [visit(given_at=(later + dt.timedelta(seconds=20 * n)).isoformat()) for n in range(6)]
    assert {r["status"] for r in post(client, key, {"visits": spread}).json()["results"]} == {
        "created"
    }


def test_one_person_gives_feedback_a_few_times_a_day_at_most_and_no_fingerprint_is_kept(
    client, kiosk, settings
):
    _, key = kiosk
    cnic = "3520212345671"
    results = [post(client, key, visit(fingerprint=finger(cnic))).status_code for _ in range(4)]
    assert results == [201, 201, 201, 409]
    other = post(client, key, visit(fingerprint=finger("3520298765431")))
    assert other.status_code == 201
    stored = KioskVisit.objects.values_list("identity_hash", flat=True)
    assert all(len(h) == 64 and cnic not in h for h in stored)
    assert len(set(stored)) == 2
    # Another day the same person's hash is another: days cannot be linked.
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert post(client, key, visit(fingerprint=finger(cnic), given_at=yesterday)).status_code == 201
    assert len(set(KioskVisit.objects.values_list("identity_hash", flat=True))) == 3


def test_a_verified_citizens_feedback_is_linked_to_their_transaction(
    client, kiosk, django_capture_on_commit_callbacks
):
    _, key = kiosk
    cnic = "3520212345671"
    tx = transaction_at("LHR-REV", official="LHR-REV-1")
    protected = protect_cnic(cnic)
    Transaction.objects.filter(pk=tx.pk).update(
        cnic_digest=protected.digest, cnic_sealed=protected.sealed, cnic_last4=protected.last4,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, key, visit(fingerprint=finger(cnic))).status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.transaction_id == tx.pk and feedback.office is None
    # Its case is against the official who served them.
    assert Case.objects.get().official.employee_code == "LHR-REV-1"


def test_a_walk_ins_complaint_opens_a_case_and_counts_in_reports_and_the_command_centre(
    client, kiosk, world, django_capture_on_commit_callbacks
):
    _, key = kiosk
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, key, visit(rating="money")).status_code == 201
    case = Case.objects.get()
    assert (case.kind, case.office, case.official) == ("bribe", world.lahore_revenue, None)
    refresh_rollups()
    today = timezone.localdate()
    summary = province_summary(start=today, end=today)
    assert (summary["feedback"], summary["bribe"], summary["transactions"]) == (1, 1, 0)
    assert summary["kiosk"] == 1
    table = run_report(CATALOGUE["kiosk-feedback-by-office-day"], user=None, start=today, end=today)
    assert [(row.label, row.value) for row in table.rows] == [(world.lahore_revenue.name, 1)]
    lahore = world.lahore_revenue.district_id
    assert command_centre.today(level="district", key=lahore).bribes == 1
    assert command_centre.today(level="district", key=world.multan_revenue.district_id).bribes == 0
    by_district = command_centre.breakdown(level="province")
    assert [(row["key"], row["bribes"]) for row in by_district] == [(lahore, 1)]
    assert command_centre.latest_complaints(
        user=world.users[Role.SECRETARIAT], level="office", key=world.lahore_revenue.pk
    )


def test_a_number_left_at_the_kiosk_puts_the_citizen_in_the_call_queue(client, kiosk):
    _, key = kiosk
    assert post(client, key, visit(rating="delay", mobile="0300-1234567")).status_code == 201
    request = CallRequest.objects.get()
    assert (request.mobile, request.about_feedback.channel) == ("+923001234567", "kiosk")


def test_a_kiosk_whose_clock_is_wrong_is_shown_to_the_secretariat(client, kiosk):
    registered, key = kiosk
    wrong = (timezone.now() - dt.timedelta(minutes=20)).isoformat()
    client.post(reverse("kiosk-heartbeat"), **headers(key, HTTP_X_KIOSK_TIME=wrong))
    registered.refresh_from_db()
    assert registered.clock_skew_seconds == pytest.approx(-1200, abs=5)
    assert KioskEvent.objects.get().kind == "clock_skew"
    client.force_login(registered.registered_by)  # the secretariat
    live = client.get(reverse("reports:command-centre-live")).content.decode()
    assert "LHR-REV gate" in live and "clock wrong" in live


def test_the_secretariat_registers_a_kiosk_and_sees_its_code_once(client, world):
    from cfmp.kiosk.models import Kiosk

    client.force_login(world.users[Role.SECRETARIAT])
    response = client.post(
        reverse("admin:kiosk_kiosk_add"),
        {"office": world.multan_health.pk, "name": "OPD door"},
        follow=True,
    )
    page = response.content.decode()
    code = page.split("enrolment code ")[1].split(" ")[0]
    kiosk = Kiosk.objects.get()
    assert kiosk.office == world.multan_health and kiosk.registered_by.role == Role.SECRETARIAT
    assert services.enrol_device(code=code) is not None
    services.register_kiosk(office=world.lahore_revenue, name="Fard counter",
                            by=world.users[Role.SECRETARIAT])  # fmt: skip
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore's
    listing = client.get(reverse("admin:kiosk_kiosk_changelist"))
    assert listing.status_code == 200
    assert "Fard counter" in listing.content.decode()  # their district's kiosk…
    assert "OPD door" not in listing.content.decode()  # …and not Multan's


def test_a_kiosk_silent_for_long_is_reported_once_per_silence(kiosk, settings):
    from cfmp.kiosk.models import Kiosk
    from cfmp.kiosk.monitoring import detect_offline_kiosks

    settings.CFMP_OUTREACH_WINDOW = "00:00-24:00"
    registered, _ = kiosk
    now = timezone.now()
    assert detect_offline_kiosks(now=now + dt.timedelta(minutes=10)) == []
    (event,) = detect_offline_kiosks(now=now + dt.timedelta(minutes=45))
    assert event.kind == "offline" and "45 minutes" in event.detail
    assert detect_offline_kiosks(now=now + dt.timedelta(minutes=90)) == []  # the same silence
    Kiosk.objects.filter(pk=registered.pk).update(last_seen_at=now + dt.timedelta(minutes=100))
    assert len(detect_offline_kiosks(now=now + dt.timedelta(minutes=140))) == 1  # a new one


def test_a_kiosk_praising_far_more_than_the_offices_sms_replies_is_flagged(client, kiosk):
    from cfmp.kiosk.monitoring import detect_praise_gaps

    _, key = kiosk
    # The office's citizens, by SMS: 40 % satisfied.
    for n in range(50):
        tx = transaction_at("LHR-REV")
        Feedback.objects.create(channel="sms", transaction=tx, confidence=1,
                                category="satisfied" if n % 5 < 2 else "delay")  # fmt: skip
    start = timezone.now() - dt.timedelta(hours=5)
    # At the kiosk: 39 of 40 satisfied, spread over hours.
    for n in range(40):
        at = (start + dt.timedelta(minutes=5 * n)).isoformat()
        rating = "delay" if n == 0 else "satisfied"
        assert post(client, key, visit(rating=rating, given_at=at)).status_code == 201
    (event,) = detect_praise_gaps()
    assert event.kind == "praise_gap" and "98% satisfied at the kiosk" in event.detail
    assert detect_praise_gaps() == []  # once a week


def test_a_kiosk_as_happy_as_its_office_is_not_flagged(client, kiosk):
    from cfmp.kiosk.monitoring import detect_praise_gaps

    _, key = kiosk
    for n in range(50):
        Feedback.objects.create(channel="sms", transaction=transaction_at("LHR-REV"),
                                confidence=1, category="satisfied" if n % 5 else "delay")  # fmt: skip
    start = timezone.now() - dt.timedelta(hours=5)
    for n in range(40):
        at = (start + dt.timedelta(minutes=5 * n)).isoformat()
        rating = "satisfied" if n % 5 else "delay"
        assert post(client, key, visit(rating=rating, given_at=at)).status_code == 201
    assert detect_praise_gaps() == []


def test_a_bad_visit_is_refused_alone_and_never_holds_back_the_outbox(client, kiosk):
    _, key = kiosk
    batch = [
        visit(amount="12345678901234567890"),  # a finger resting on the keypad
        visit(given_at="2026-02-30T10:00:00+05:00"),  # impossible: taken as now
        visit(rating="delay"),
    ]
    results = post(client, key, {"visits": batch}).json()["results"]
    assert [r["status"] for r in results] == ["refused", "created", "created"]
    assert "amount" in results[0]["message"]


def test_visits_times_are_kept_within_reason(client, kiosk):
    _, key = kiosk
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert post(client, key, visit(given_at=future)).status_code == 201
    stored = KioskVisit.objects.get()
    assert abs((stored.given_at - timezone.now()).total_seconds()) < 60  # taken as now
    stale = (timezone.now() - dt.timedelta(days=8)).isoformat()
    assert post(client, key, visit(given_at=stale)).status_code == 400


def test_an_outbox_resent_under_another_kiosk_counts_once(client, kiosk, world):
    _, key = kiosk
    item = visit()
    assert post(client, key, item).status_code == 201
    _, code = services.register_kiosk(
        office=world.lahore_revenue, name="replacement", by=world.users[Role.SECRETARIAT]
    )
    _, other_key = services.enrol_device(code=code)
    assert post(client, other_key, item).json()["status"] == "duplicate"
    assert Feedback.objects.count() == 1


def test_without_an_identity_service_no_fingerprint_links_a_transaction(client, kiosk, settings):
    _, key = kiosk
    settings.CFMP_KIOSK_IDENTITY = "none"
    config = client.get(reverse("kiosk-config"), **headers(key)).json()
    assert config["fingerprint_simulator"] is False
    cnic = "3520212345671"
    transaction_at("LHR-REV")
    assert post(client, key, visit(fingerprint=finger(cnic))).status_code == 201
    stored = KioskVisit.objects.get()
    assert not stored.identity_verified and stored.feedback.transaction is None


def test_officers_see_walk_ins_feedback_at_their_offices_and_may_open_a_case(client, kiosk, world):
    _, key = kiosk
    assert (
        post(client, key, visit(rating="other", comment="line bohat lambi thi")).status_code == 201
    )
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore's
    page = client.get(reverse("feedback-list")).content.decode()
    assert "line bohat lambi thi" in page and world.lahore_revenue.name in page
    assert "Open a case" not in page  # district officers do not review
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("feedback-list")).content.decode()
    assert "Open a case" in page
