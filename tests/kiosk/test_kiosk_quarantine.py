"""A kiosk visit that fails unexpectedly stays on the device and is retried; after the last
try it is kept in quarantine with its fields for the secretariat and settled, so the
device's outbox never sticks (issue 18)."""

import pytest

from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.kiosk import services
from cfmp.kiosk.models import KioskVisit
from tests.kiosk.test_kiosk import post, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(world):
    from cfmp.accounts.models import Role

    _, code = services.register_kiosk(
        office=world.lahore_revenue, name="gate", by=world.users[Role.SECRETARIAT]
    )
    return services.enrol_device(code=code)


def test_a_visit_failing_unexpectedly_is_retried_then_kept_and_the_outbox_moves_on(
    client,
    kiosk,
    monkeypatch,
    settings,
):
    settings.CFMP_QUARANTINE_MAX_ATTEMPTS = 2
    _, key = kiosk
    real = services.record_visit

    def broken(*, kiosk, visit):
        if visit.comment == "poison":
            raise ZeroDivisionError("a bug in a visit's path")
        return real(kiosk=kiosk, visit=visit)

    monkeypatch.setattr(services, "record_visit", broken)
    bad, good = visit(comment="poison"), visit(rating="delay")
    first = post(client, key, {"visits": [bad, good]}).json()["results"]
    assert [r["status"] for r in first] == ["error", "created"]  # the device keeps it
    kept = QuarantinedItem.objects.get()
    assert (kept.pipeline, kept.state, kept.attempts) == (Pipeline.KIOSK_VISITS, "retrying", 1)
    again = post(client, key, bad)
    assert again.status_code == 202 and again.json()["code"] == "quarantined"  # settled
    kept.refresh_from_db()
    assert kept.state == "failed" and kept.payload["comment"] == "poison"
    assert "fingerprint" not in kept.payload
    assert KioskVisit.objects.count() == 1
    # The bug fixed, the secretariat's "Try again now": recorded from the kept fields.
    from cfmp.core.quarantine import retry_now
    from cfmp.core.tasks import replay_quarantined_task

    monkeypatch.setattr(services, "record_visit", real)
    retry_now(QuarantinedItem.objects.all())
    assert replay_quarantined_task.apply().result == 1
    assert KioskVisit.objects.filter(client_id=bad["client_id"]).exists()
    assert not QuarantinedItem.objects.exists()
