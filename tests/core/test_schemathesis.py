"""Schemathesis over the whole OpenAPI schema (issue 18): every documented operation — the
transactions API, the kiosk device API, the SMS webhook, Kannel's get-url and delivery
reports, the Twilio callbacks — driven with generated requests, authenticated and signed as the real callers
do, through the real WSGI application. No answer may be a 5xx, and every answer must match
the schema (status, content type, body). The suite runs a bounded number of examples
per operation (CFMP_SCHEMATHESIS_EXAMPLES, 25); `bench/schemathesis.sh` runs the
acceptance run of thousands."""

from __future__ import annotations

import io
import os
import urllib.parse

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from twilio.request_validator import RequestValidator

from cfmp.accounts.models import Role
from cfmp.channels.kannel.adapter import attempt_signature
from cfmp.channels.webhook.auth import body_signature
from cfmp.core import keys
from cfmp.intake.models import SourceSystem
from cfmp.intake.services import issue_source_token
from cfmp.kiosk import services as kiosk_services
from tests.channels.whatsapp import meta as whatsapp_meta
from tests.factories import department

EXAMPLES = int(os.environ.get("CFMP_SCHEMATHESIS_EXAMPLES", "25"))
TWILIO_TOKEN = "schemathesis-twilio-token"
PUBLIC = "http://testserver"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
COUNT = {"requests": 0, "server_errors": 0}
CALLERS: dict[str, str] = {}


class SigningCaller:
    """The real callers' credentials on every request: a source system's API token, a
    kiosk's key, the webhook's HMAC of the body, the provider's Twilio signature. A request
    that brings its own Authorization keeps it (Schemathesis tries bad ones too)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        COUNT["requests"] += 1
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if path.startswith("/api/v1/"):
            environ.setdefault("HTTP_AUTHORIZATION", f"Token {CALLERS['token']}")
        elif path.startswith("/kiosk/api/") and not path.endswith("/enrol"):
            environ.setdefault("HTTP_AUTHORIZATION", f"Kiosk {CALLERS['kiosk']}")
        elif path == "/feedback/webhook/sms":
            environ["HTTP_X_CFMP_SIGNATURE"] = body_signature(body)  # the webhook's own key
        elif path == "/feedback/kannel/inbound":
            query = urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""))
            query = [(k, v) for k, v in query if k != "secret"]
            query.append(("secret", keys.current_key("inbound_sms")))
            environ["QUERY_STRING"] = urllib.parse.urlencode(query)
        elif path == "/outreach/kannel/dlr":
            query = urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""))
            attempt = dict(query).get("attempt", "")
            if attempt.isascii() and attempt.isdigit() and len(attempt) < 19:
                query = [(k, v) for k, v in query if k != "sig"]
                query.append(("sig", attempt_signature(int(attempt))))
                environ["QUERY_STRING"] = urllib.parse.urlencode(query)
        elif path.startswith("/outreach/voice/twilio/"):
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC + path, form)
            environ["HTTP_X_TWILIO_SIGNATURE"] = signature
        elif path == "/feedback/whatsapp/webhook" and environ.get("REQUEST_METHOD") == "POST":
            # Meta's signature over the body, so generated notifications reach their parser.
            environ["HTTP_X_HUB_SIGNATURE_256"] = whatsapp_meta.sign(body)

        def counting_start_response(status, headers, *args):
            if status.startswith("5"):
                COUNT["server_errors"] += 1
            return start_response(status, headers, *args)

        return self.app(environ, counting_start_response)


APP = SigningCaller(get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's database
    connection (and its transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def count_requests():
    """With CFMP_SCHEMATHESIS_REPORT set, how many requests were made, and how many got
    a 5xx (the checks fail on any), written there for bench/schemathesis.sh."""
    yield
    report = os.environ.get("CFMP_SCHEMATHESIS_REPORT")
    if report:
        with open(report, "w") as out:
            out.write(f"{COUNT['requests']} {COUNT['server_errors']}\n")


schema = schemathesis.openapi.from_wsgi("/api/schema/", APP)  # the schema CFMP serves


@pytest.fixture
def callers(world, settings, monkeypatch):
    """A source system for revenue, an enrolled kiosk, a robocall attempt to call back."""
    from tests.outreach.support import submitted_voice_attempt

    settings.CFMP_TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.CFMP_WHATSAPP_APP_SECRET = whatsapp_meta.APP_SECRET
    settings.CFMP_PUBLIC_URL = PUBLIC
    settings.CFMP_KIOSK_VISITS_PER_MINUTE = 10**6
    source = SourceSystem.objects.create(code="fuzz", name="Fuzzing source")
    source.departments.set([department("revenue")])
    CALLERS["token"] = issue_source_token(source=source)[1]
    _, code = kiosk_services.register_kiosk(
        office=world.lahore_revenue, name="fuzz", by=world.users[Role.SECRETARIAT]
    )
    CALLERS["kiosk"] = kiosk_services.enrol_device(code=code)[1]
    submitted_voice_attempt(monkeypatch)


@pytest.mark.django_db
@schema.parametrize()
@hsettings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("CFMP_SCHEMATHESIS_RANDOM") != "1",
)
def test_every_documented_operation_answers_within_its_schema_and_never_5xx(case, callers):
    response = case.call()
    case.validate_response(response, checks=CHECKS)
