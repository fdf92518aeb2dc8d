"""Kannel's get-url: an inbound SMS, its text in UTF-16 or UTF-8, refused without the key."""

import datetime as dt

import pytest
from django.urls import reverse

from cfmp.feedback.models import InboundMessage

pytestmark = pytest.mark.django_db
CITIZEN = "+923005551234"


def test_kannel_inbound_needs_the_shared_secret(client, settings):
    url = reverse("kannel-inbound")
    query = {"id": "x1", "from": CITIZEN, "text": "1", "charset": "UTF-8"}
    assert client.get(url, {**query, "secret": "guess"}).status_code == 403
    assert client.get(url, query).status_code == 403
    assert not InboundMessage.objects.exists()
    ok = client.get(url, {**query, "secret": settings.CFMP_WEBHOOK_SECRET})
    assert ok.status_code == 200 and ok.content == b""
    assert InboundMessage.objects.get().gateway == "kannel"


def test_kannel_inbound_reads_utf16_and_utf8_text(client, settings):
    url = reverse("kannel-inbound")
    secret = settings.CFMP_WEBHOOK_SECRET
    ucs2 = "".join(f"%{b:02X}" for b in "رشوت مانگی".encode("utf-16-be"))
    response = client.get(
        f"{url}?secret={secret}&id=u1&from=%2B923005551234&to=8070&charset=UTF-16BE"
        f"&time=1772431200&text={ucs2}"
    )
    assert response.status_code == 200
    client.get(url, {"secret": secret, "id": "u2", "from": CITIZEN, "text": "پیسے مانگے"})
    texts = dict(InboundMessage.objects.values_list("gateway_message_id", "text"))
    assert texts == {"u1": "رشوت مانگی", "u2": "پیسے مانگے"}
    first = InboundMessage.objects.get(gateway_message_id="u1")
    assert first.received_at == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    assert first.recipient == "8070"


def test_kannel_inbound_without_a_message_id_is_a_bad_request(client, settings):
    response = client.get(
        reverse("kannel-inbound"), {"secret": settings.CFMP_WEBHOOK_SECRET, "text": "1"}
    )
    assert response.status_code == 400
