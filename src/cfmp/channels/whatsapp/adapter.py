"""The adapter: hands a message to the Cloud API (POST <api>/<version>/<phone number id>/
messages, Bearer token) and returns the message's id (a wamid), which its statuses carry.

A survey goes as the approved template of its plan's language, with the transaction's
details as the template's parameters and two quick-reply buttons (1 satisfied, 2 a
complaint) — unless the citizen wrote to CFMP on WhatsApp in the last 24 hours, when the
plan's own text goes as a message with two reply buttons (free-form messages are allowed
only inside that window). A service message (the acknowledgement of a STOP) is plain text,
sent only inside the window: outside it, it is refused, never sent as something else."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.utils import timezone

from cfmp.channels.base import Accepted, ChannelError, OutboundMessage, own_setting
from cfmp.channels.whatsapp import messages
from cfmp.channels.whatsapp.notifications import RETRYABLE
from cfmp.channels.whatsapp.session import window_open
from cfmp.channels.whatsapp.type import NAME
from cfmp.outreach.models import ContactAttempt

TIMEOUT_SECONDS = 15.0


def template_for(*, plan_id: int, language: str) -> dict[str, Any]:
    """The approved template for a plan in a language (CFMP_WHATSAPP_TEMPLATES)."""
    templates: dict[str, Any] = own_setting("CFMP_WHATSAPP_TEMPLATES")
    found = templates.get(f"{plan_id}:{language}") or templates.get(language)
    if not isinstance(found, dict) or not found.get("name"):
        raise ChannelError(f"no WhatsApp template for language {language!r}", retryable=False)
    return found


def template_values(attempt: ContactAttempt) -> dict[str, str]:
    """What a template's parameters may name, for this attempt's transaction."""
    tx = attempt.survey.transaction
    urdu = attempt.survey.plan.language == "ur"
    return {
        "citizen_name": tx.citizen_name,
        "service": tx.service.name_ur if urdu and tx.service.name_ur else tx.service.name,
        "office": tx.office.name,
        "date": timezone.localtime(tx.occurred_at).strftime("%d/%m/%Y"),
    }


class WhatsAppChannel:
    name = "sms"
    # Choosing the request reads the database (the attempt's plan, the citizen's window), and
    # outreach's sender threads are for HTTP only: sent from the sending task's own thread.
    parallel = False

    def __init__(
        self,
        *,
        api_url: str,
        version: str,
        phone_number_id: str,
        access_token: str,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self.access_token = access_token
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> WhatsAppChannel:
        return cls(
            api_url=own_setting("CFMP_WHATSAPP_API_URL"),
            version=own_setting("CFMP_WHATSAPP_API_VERSION"),
            phone_number_id=own_setting("CFMP_WHATSAPP_PHONE_NUMBER_ID"),
            access_token=own_setting("CFMP_WHATSAPP_ACCESS_TOKEN"),
        )

    def send(self, message: OutboundMessage) -> Accepted:
        return Accepted(self._post(self.request_for(message)))

    def request_for(self, message: OutboundMessage) -> dict[str, Any]:
        """The Cloud API request that carries this message (see the module's docstring)."""
        in_window = window_open(gateway=NAME, mobile=message.to)
        if message.attempt_id is None:
            if not in_window:
                raise ChannelError(
                    "outside WhatsApp's 24-hour window: only a template may be sent",
                    retryable=False,
                )
            return messages.text_message(to=message.to, text=message.text)
        attempt = (
            ContactAttempt.objects.select_related(
                "survey__plan", "survey__transaction__service", "survey__transaction__office"
            )
            .filter(pk=message.attempt_id)
            .first()
        )
        if attempt is None:
            raise ChannelError(f"no attempt {message.attempt_id}", retryable=False)
        language = attempt.survey.plan.language
        if in_window:
            return messages.buttons_message(
                to=message.to, text=message.text, language=language, attempt_id=attempt.pk
            )
        template = template_for(plan_id=attempt.survey.plan_id, language=language)
        values = template_values(attempt)
        names = template.get("parameters") or []
        unknown = [name for name in names if name not in values]
        if unknown:
            raise ChannelError(f"unknown template parameters {unknown}", retryable=False)
        return messages.template_message(
            to=message.to,
            name=str(template["name"]),
            language=str(template.get("language") or language),
            parameters=[values[name] for name in names],
            attempt_id=attempt.pk,
        )

    def _post(self, body: dict[str, Any]) -> str:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Authorization": f"Bearer {self.access_token}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                answer = json.loads(reply.read() or b"{}")
        except urllib.error.HTTPError as refused:
            raise _refusal(refused) from None
        except TimeoutError:
            # The request may have reached Meta: whether it took the message is unknown.
            raise ChannelError(
                "WhatsApp did not answer in time", retryable=False, unknown=True
            ) from None
        except (urllib.error.URLError, ConnectionError, OSError) as down:
            raise ChannelError(f"WhatsApp unreachable: {down}", retryable=True) from None
        except ValueError:
            raise ChannelError(
                "WhatsApp's answer is not JSON", retryable=False, unknown=True
            ) from None
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise ChannelError(
                "WhatsApp's answer names no message", retryable=False, unknown=True
            ) from None


def _refusal(refused: urllib.error.HTTPError) -> ChannelError:
    """Meta's error answer ({"error": {"message", "type", "code", "error_subcode", …}})."""
    try:
        error = json.loads(refused.read()).get("error") or {}
    except (ValueError, AttributeError, OSError):
        error = {}
    code = error.get("code") if isinstance(error, dict) else None
    message = error.get("message", "") if isinstance(error, dict) else ""
    retryable = refused.code == 429 or refused.code >= 500 or code in RETRYABLE
    return ChannelError(
        f"WhatsApp refused ({refused.code}, {code}): {message}"[:300], retryable=retryable
    )
