"""Robocalls through a Twilio-compatible cloud voice API: the call is started with the
provider's REST API (the `twilio` package); the provider then fetches the call's script
(TwiML: play the opening inside a one-digit <Gather>, the question again, thank and hang
up) from CFMP and posts the key pressed and the call's end back, each request signed with
the account's auth token (`views`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from cfmp.channels.base import Accepted, ChannelError, OutboundMessage, own_setting
from cfmp.outreach.models import CallOutcome

# The provider's CallStatus at the end of a call → CFMP's outcome. "completed" means the
# call was answered; whether a key was pressed is known from the gather callback.
STATUS_OUTCOMES = {
    "completed": CallOutcome.NO_INPUT,
    "busy": CallOutcome.BUSY,
    "no-answer": CallOutcome.NO_ANSWER,
    "failed": CallOutcome.FAILED,
    "canceled": CallOutcome.FAILED,
}


def public_url(route: str, **kwargs: Any) -> str:
    return settings.CFMP_PUBLIC_URL.rstrip("/") + reverse(route, kwargs=kwargs)


class TwilioVoiceChannel:
    name = "voice"
    parallel = True  # one HTTPS request per call

    def __init__(self, *, account_sid: str, auth_token: str, caller_id: str,
                 api_url: str = "", http_client: Any = None) -> None:  # fmt: skip
        self.caller_id = caller_id
        self.client = Client(account_sid, auth_token, http_client=http_client)
        if api_url:
            self.client.api.base_url = api_url.rstrip("/")

    @classmethod
    def from_settings(cls) -> TwilioVoiceChannel:
        return cls(
            account_sid=own_setting("CFMP_TWILIO_ACCOUNT_SID"),
            auth_token=own_setting("CFMP_TWILIO_AUTH_TOKEN"),
            caller_id=settings.CFMP_CALLER_ID,
            api_url=own_setting("CFMP_TWILIO_API_URL"),
        )

    def send(self, message: OutboundMessage) -> Accepted:
        if message.attempt_id is None:
            raise ChannelError("a robocall is always a survey's attempt", retryable=False)
        attempt = message.attempt_id
        try:
            call = self.client.calls.create(
                to=message.to,
                from_=self.caller_id,
                url=public_url("voice-twilio-answer", attempt_id=attempt),
                method="POST",
                status_callback=public_url("voice-twilio-status", attempt_id=attempt),
                status_callback_method="POST",
                status_callback_event=["completed"],
                timeout=settings.CFMP_CALL_RING_SECONDS,
            )
        except TwilioRestException as problem:
            # 4xx: this call will never be accepted (a bad number); 429 and 5xx: later.
            retryable = problem.status == 429 or problem.status >= 500
            raise ChannelError(
                f"provider refused the call: {problem.msg}", retryable=retryable
            ) from problem
        except (TwilioException, OSError) as problem:
            raise ChannelError(f"provider unreachable: {problem}", retryable=True) from problem
        return Accepted(gateway_id=str(call.sid))
