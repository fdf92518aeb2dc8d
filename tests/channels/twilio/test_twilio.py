"""The Twilio-compatible voice channel: the REST call starting each robocall, and the
provider's signed callbacks (the call's script, the key pressed, the call's end)."""

import pytest
from django.urls import reverse
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from cfmp.channels.base import ChannelError, OutboundMessage
from cfmp.channels.twilio.adapter import TwilioVoiceChannel
from cfmp.feedback.models import Feedback
from cfmp.outreach.models import ContactAttempt
from tests.outreach.support import submitted_voice_attempt

pytestmark = pytest.mark.django_db
TOKEN = "twilio-auth-token-for-tests"
PUBLIC = "https://cfmp.example.pk"


@pytest.fixture
def twilio(settings):
    settings.CFMP_TWILIO_AUTH_TOKEN = TOKEN
    settings.CFMP_PUBLIC_URL = PUBLIC
    return settings


class FakeTwilioHttp:
    """Stands in for the HTTPS connection under the twilio package (its own extension
    point): records each request and answers with the status and body given."""

    def __init__(self, status: int, body: str) -> None:
        self.status, self.body, self.requests = status, body, []
        self.last_response = None

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):  # fmt: skip
        self.requests.append({"method": method, "url": url, "data": data})
        return Response(self.status, self.body)


def test_the_twilio_adapter_starts_the_call_with_cfmps_script_and_status_urls(twilio):
    http = FakeTwilioHttp(201, '{"sid": "CA0123456789abcdef0123456789abcdef", "status": "queued"}')
    channel = TwilioVoiceChannel(
        account_sid="AC" + "1" * 32, auth_token=TOKEN, caller_id="8070", http_client=http
    )
    accepted = channel.send(OutboundMessage(41, "+923005551234", "", "voice"))
    assert accepted.gateway_id == "CA0123456789abcdef0123456789abcdef"
    (sent,) = http.requests
    assert sent["method"] == "POST" and sent["url"].endswith("/Calls.json")
    assert sent["data"]["To"] == "+923005551234" and sent["data"]["From"] == "8070"
    assert sent["data"]["Url"] == PUBLIC + "/outreach/voice/twilio/41/answer"
    assert sent["data"]["StatusCallback"] == PUBLIC + "/outreach/voice/twilio/41/status"


@pytest.mark.parametrize(("status", "retryable"), [(400, False), (429, True), (503, True)])
def test_a_refused_call_is_a_channel_error_retryable_only_when_later_may_work(
    twilio, status, retryable
):
    body = f'{{"code": 21211, "message": "invalid To", "status": {status}}}'
    http = FakeTwilioHttp(status, body)
    channel = TwilioVoiceChannel(account_sid="AC" + "1" * 32, auth_token=TOKEN, caller_id="8070",
                                 http_client=http)  # fmt: skip
    with pytest.raises(ChannelError) as refused:
        channel.send(OutboundMessage(41, "+923005551234", "", "voice"))
    assert refused.value.retryable is retryable


def _post(client, name: str, attempt: ContactAttempt, params: dict, *, token: str = TOKEN):
    path = reverse(name, kwargs={"attempt_id": attempt.pk})
    signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_signed_callbacks_play_the_script_record_the_key_and_the_calls_end(
    client, world, monkeypatch, twilio
):
    attempt = submitted_voice_attempt(monkeypatch)
    call = {"CallSid": "CA1", "AccountSid": "AC1", "From": "8070", "To": "+923005551234"}
    script = _post(client, "voice-twilio-answer", attempt, {**call, "CallStatus": "in-progress"})
    assert script.status_code == 200
    body = script.content.decode()
    assert body.count(f'<Gather action="{PUBLIC}') == 2 and 'numDigits="1"' in body
    plan = attempt.survey.plan_id
    for name in ("opening", "question", "thanks"):
        assert f"<Play>{PUBLIC}/outreach/voice/prompts/{plan}/en/{name}.wav</Play>" in body
    gathered = _post(client, "voice-twilio-gather", attempt, {**call, "Digits": "3"})
    assert gathered.status_code == 200 and "<Hangup" in gathered.content.decode()
    assert Feedback.objects.get().category == "delay"
    ended = _post(client, "voice-twilio-status", attempt,
                  {**call, "CallStatus": "completed", "CallDuration": "21"})  # fmt: skip
    assert ended.status_code == 204
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_outcome, attempt.call_seconds) == (
        "delivered",
        "answered",
        21,
    )


def test_callbacks_with_a_bad_signature_are_refused_and_change_nothing(
    client, world, monkeypatch, twilio
):
    attempt = submitted_voice_attempt(monkeypatch)
    call = {"CallSid": "CA1", "CallStatus": "completed", "CallDuration": "5", "Digits": "2"}
    forged = _post(client, "voice-twilio-gather", attempt, call, token="not-the-token")
    assert forged.status_code == 403
    assert _post(client, "voice-twilio-status", attempt, call, token="guess").status_code == 403
    # Signed, then altered in flight: the signature no longer matches the parameters.
    path = reverse("voice-twilio-status", kwargs={"attempt_id": attempt.pk})
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, call)
    altered = client.post(path, {**call, "CallStatus": "busy"}, HTTP_X_TWILIO_SIGNATURE=signature)
    assert altered.status_code == 403
    assert client.post(path, call).status_code == 403  # no signature at all
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_outcome, attempt.call_digit) == ("submitted", "", "")
    assert not Feedback.objects.exists()
