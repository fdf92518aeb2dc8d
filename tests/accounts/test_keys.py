"""Keys per purpose with an overlap window, gateways authenticated without a key in the
URL, and logs that never show a key."""

from __future__ import annotations

import base64
import json
import logging
import time

import pytest
from django.urls import reverse

from cfmp.core import keys
from tests.system import require_binary


@pytest.fixture
def rotated(settings):
    settings.CFMP_INBOUND_SMS_KEYS = ["inbound-new-0123456789", "inbound-old-0123456789"]
    settings.CFMP_WEBHOOK_KEYS = ["webhook-new-0123456789", "webhook-old-0123456789"]
    settings.CFMP_DLR_KEYS = ["dlr-only-0123456789"]
    settings.CFMP_KIOSK_KEYS = ["kiosk-new-0123456789", "kiosk-old-0123456789"]
    return settings


def test_the_current_key_signs_and_previous_keys_still_verify(rotated):
    body = b'{"id": "1"}'
    signature = keys.sign("webhook", body)
    assert signature == keys.sign("webhook", body, key=b"webhook-new-0123456789")
    old = keys.sign("webhook", body, key=b"webhook-old-0123456789")
    assert keys.verify("webhook", body, signature) and keys.verify("webhook", body, old)
    assert keys.verify("webhook", body, "sha256=" + old)
    assert not keys.verify("webhook", body, keys.sign("dlr", body))  # one purpose, one key
    assert not keys.verify("webhook", b"tampered", signature)
    rotated.CFMP_WEBHOOK_KEYS = ["webhook-new-0123456789"]  # the overlap ends
    assert not keys.verify("webhook", body, old)


def test_a_shortened_signature_verifies_under_every_key_of_the_window(rotated):
    """The delivery-report form: a per-attempt signature cut to 32 hex digits in the URL."""
    rotated.CFMP_DLR_KEYS = ["dlr-new-0123456789", "dlr-old-0123456789"]
    old = keys.sign("dlr", "attempt:7", key=b"dlr-old-0123456789")[:32]
    assert keys.verify("dlr", "attempt:7", old, length=32)
    assert not keys.verify("dlr", "attempt:8", old, length=32)
    assert not keys.verify("dlr", "attempt:7", old)  # a cut signature is not a whole one


def test_purposes_without_keys_get_separate_derived_keys(settings):
    for name in ("CFMP_INBOUND_SMS_KEYS", "CFMP_DLR_KEYS", "CFMP_WEBHOOK_KEYS", "CFMP_KIOSK_KEYS"):
        setattr(settings, name, [])
    derived = {purpose: keys.current_key(purpose) for purpose in keys.PURPOSES}
    assert len(set(derived.values())) == 4
    assert settings.SECRET_KEY not in derived.values()
    # the old shared secret still verifies where it was used, never for kiosks
    assert keys.matches("inbound_sms", settings.CFMP_WEBHOOK_SECRET)
    assert not keys.matches("kiosk", settings.CFMP_WEBHOOK_SECRET)
    settings.CFMP_INBOUND_SMS_KEYS = ["set-now-0123456789"]
    assert not keys.matches("inbound_sms", settings.CFMP_WEBHOOK_SECRET)


def _kannel_query(**extra):
    return {"id": "m1", "from": "+923005551234", "to": "8070", "text": "1", **extra}


@pytest.mark.django_db
def test_kannel_inbound_takes_its_key_as_basic_credentials(client, rotated, world):
    url = reverse("kannel-inbound")
    basic = base64.b64encode(b"kannel:inbound-old-0123456789").decode()
    assert client.get(url, _kannel_query(), HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 200
    wrong = base64.b64encode(b"kannel:webhook-new-0123456789").decode()
    assert client.get(url, _kannel_query(), HTTP_AUTHORIZATION=f"Basic {wrong}").status_code == 403
    assert client.get(url, _kannel_query()).status_code == 403
    # the older form still works, and is what the log filter hides
    ok = client.get(url, _kannel_query(id="m2", secret="inbound-new-0123456789"))
    assert ok.status_code == 200


@pytest.mark.django_db
def test_the_json_webhook_verifies_with_its_own_keys_only(client, rotated):
    body = json.dumps({"id": "w1", "from": "+923005551234", "text": "1"}).encode()
    url = reverse("sms-webhook")

    def post(signature):
        return client.post(
            url, body, content_type="application/json", HTTP_X_CFMP_SIGNATURE=signature
        )

    old = keys.sign("webhook", body, key=b"webhook-old-0123456789")
    assert post(f"sha256={old}").status_code == 201
    assert post(f"sha256={keys.sign('inbound_sms', body)}").status_code == 403


@pytest.mark.django_db
def test_kiosk_codes_are_stored_under_the_kiosk_key_and_survive_its_rotation(rotated, world):
    from cfmp.accounts.models import Role
    from cfmp.kiosk import services
    from cfmp.kiosk.models import Kiosk

    kiosk, code = services.register_kiosk(
        office=world.lahore_revenue, name="Desk", by=world.users[Role.SECRETARIAT]
    )
    stored = Kiosk.objects.get(pk=kiosk.pk).enrolment_code_hash
    assert stored == keys.sign("kiosk", code) and code not in stored
    rotated.CFMP_KIOSK_KEYS = ["kiosk-newer-0123456789", "kiosk-new-0123456789"]
    enrolled = services.enrol_device(code=code)
    assert enrolled is not None
    device_key = enrolled[1]
    rotated.CFMP_KIOSK_KEYS = ["kiosk-newer-0123456789"]  # the key was issued under "newer"
    assert services.authenticate_device(device_key) == kiosk


def test_logs_redact_keys_in_urls_headers_and_anywhere_configured(rotated, caplog):
    from cfmp.core.keys import RedactSecrets

    logger = logging.getLogger("cfmp.test.redaction")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="cfmp.test.redaction"):
        logger.info('"GET /feedback/kannel/inbound?secret=%s&id=1 HTTP/1.1" 200', "s3cr3t-value")
        logger.info("Authorization: Token %s", "abcdef123456")
        logger.info("key in a message: %s.", "kiosk-old-0123456789")
    text = caplog.text
    assert "s3cr3t-value" not in text and "abcdef123456" not in text
    assert "kiosk-old-0123456789" not in text
    assert text.count("[redacted]") == 3 and "id=1" in text


def test_the_logging_settings_install_the_filter():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert "secrets" in handler["filters"]
    assert settings.LOGGING["filters"]["secrets"]["()"] == "cfmp.core.keys.RedactSecrets"


@pytest.mark.django_db(transaction=True)
def test_a_real_kannel_delivers_replies_with_its_key_in_a_header(tmp_path, live_server, settings):
    """Kannel's get-url with the key as URL credentials: Kannel sends it as HTTP Basic
    authentication, so the key is in no query string (no access log keeps it)."""
    require_binary("bearerbox")
    from cfmp.feedback.models import InboundMessage
    from tests.channels.kannel.support import start_kannel

    settings.CFMP_INBOUND_SMS_KEYS = ["kannel-basic-0123456789"]
    host = live_server.url.removeprefix("http://")
    kannel = start_kannel(
        tmp_path,
        inbound_url=f"http://kannel:kannel-basic-0123456789@{host}{reverse('kannel-inbound')}",
        secret="",
    )
    try:
        kannel.send_mo("+923005551234", "1")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not InboundMessage.objects.exists():
            time.sleep(0.2)
    finally:
        kannel.stop()
    assert list(InboundMessage.objects.values_list("sender", "text")) == [("+923005551234", "1")]
