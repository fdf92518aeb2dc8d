"""Hostile credentials and enrolment codes: refused (400, 401), never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": "\\ud800"}',
        b'{"code": "\\u0000"}',
        b'{"code": 1e999}',
        b'{"code": {"a": 1}}',
        b"[1]",
        b'"x"',
        b'{"code": "' + b"A" * 100000 + b'"}',
    ],
)
def test_a_hostile_enrolment_code_is_refused(client, body):
    response = client.post(reverse("kiosk-enrol"), body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "header", ["Kiosk \u00e9\u00ff", "Kiosk " + "A" * 5000, "Token \u00e9", "Bearer x y"]
)
def test_hostile_credentials_are_refused_with_401(client, header):
    kiosk = client.get(
        reverse("kiosk-config"), HTTP_AUTHORIZATION=header,
        HTTP_X_KIOSK_TIME="9999-12-31T23:59:59-12:00",
    )  # fmt: skip
    assert kiosk.status_code == 401
    api = client.get("/api/v1/transactions/x/", HTTP_AUTHORIZATION=header)
    assert api.status_code == 401
