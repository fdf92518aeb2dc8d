"""The voice provider's callbacks (answer, gather, status), for the API schema
(`ChannelType.openapi`)."""

from __future__ import annotations

from typing import Any

from cfmp.channels.base import FORBIDDEN, HTML, REFUSED


def _twilio(
    action: str, summary: str, fields: dict[str, Any], ok: dict[str, Any]
) -> dict[str, Any]:
    return {
        "post": {
            "operationId": f"twilio_{action}",
            "summary": summary,
            "tags": ["gateways"],
            "parameters": [
                {
                    "name": "attempt_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
                {
                    "name": "X-Twilio-Signature",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "The provider's signature of the URL and parameters.",
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"CallSid": {"type": "string"}, **fields},
                        }
                    }
                },
            },
            "responses": {
                **ok,
                "400": REFUSED,
                "403": FORBIDDEN,
                "404": {"description": "No such robocall attempt.", "content": HTML},
            },
            "security": [{}],
        }
    }


XML = {
    "200": {"description": "TwiML.", "content": {"application/xml": {"schema": {"type": "string"}}}}
}


def paths() -> dict[str, Any]:
    twilio = "/outreach/voice/twilio/{attempt_id}/"
    return {
        f"{twilio}answer": _twilio(
            "answer", "The robocall's script (TwiML)", {"CallStatus": {"type": "string"}}, XML
        ),
        f"{twilio}gather": _twilio(
            "gather", "The key the citizen pressed", {"Digits": {"type": "string"}}, XML
        ),
        f"{twilio}status": _twilio(
            "status",
            "The call's end: its status and duration",
            {"CallStatus": {"type": "string"}, "CallDuration": {"type": "string"}},
            {"204": {"description": "Recorded."}},
        ),
    }
