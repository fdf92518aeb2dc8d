"""The Cloud API's requests CFMP sends (POST /<version>/<phone number id>/messages), built
as Meta documents them: a survey as an approved template with two quick-reply buttons, or
— inside the customer-service window — as an interactive message with two reply buttons;
a service message (an opt-out's acknowledgement) as plain text."""

from __future__ import annotations

import re
from typing import Any

# What each button answers: the same digits an SMS survey asks citizens to send.
SATISFIED, COMPLAINT = "1", "2"
BUTTON_TITLES = {  # at most 20 characters each (Meta's limit on a reply button's title)
    "ur": {SATISFIED: "1 مطمئن", COMPLAINT: "2 شکایت"},
    "en": {SATISFIED: "1 Satisfied", COMPLAINT: "2 Complaint"},
}
MAX_BODY = 1024  # an interactive message's body
MAX_PARAMETER = 1024  # a template parameter's text
# Opaque data Meta returns in each status of the message: which attempt it was.
ATTEMPT_TAG = "cfmp-attempt:"


def recipient(mobile: str) -> str:
    """WhatsApp's `to`: the E.164 number's digits."""
    return mobile.lstrip("+")


def _one_line(text: str, limit: int) -> str:
    # Template parameters may hold no new line, tab or run of more than four spaces.
    return re.sub(r"\s+", " ", text).strip()[:limit]


def template_message(
    *, to: str, name: str, language: str, parameters: list[str], attempt_id: int
) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    if parameters:
        components.append(
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": _one_line(value, MAX_PARAMETER)}
                    for value in parameters
                ],
            }
        )
    for index, payload in enumerate((SATISFIED, COMPLAINT)):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
        )
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(to),
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
        "biz_opaque_callback_data": f"{ATTEMPT_TAG}{attempt_id}",
    }


def buttons_message(*, to: str, text: str, language: str, attempt_id: int) -> dict[str, Any]:
    titles = BUTTON_TITLES.get(language, BUTTON_TITLES["en"])
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(to),
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": text[:MAX_BODY]},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": digit, "title": title}}
                    for digit, title in titles.items()
                ]
            },
        },
        "biz_opaque_callback_data": f"{ATTEMPT_TAG}{attempt_id}",
    }


def text_message(*, to: str, text: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(to),
        "type": "text",
        "text": {"preview_url": False, "body": text},
    }


def attempt_in(opaque: object) -> int | None:
    """The attempt a status's `biz_opaque_callback_data` names, if it names one."""
    if isinstance(opaque, str) and opaque.startswith(ATTEMPT_TAG):
        digits = opaque[len(ATTEMPT_TAG) :]
        if digits.isdigit() and len(digits) < 19:
            return int(digits)
    return None
