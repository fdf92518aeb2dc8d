"""WhatsApp's callback, for the API schema (`ChannelType.openapi`)."""

from __future__ import annotations

from typing import Any

from cfmp.channels.base import FORBIDDEN, REFUSED, TEXT, query


def paths() -> dict[str, Any]:
    return {
        "/feedback/whatsapp/webhook": {
            "get": {
                "operationId": "whatsapp_subscribe",
                "summary": "Meta's subscription handshake: the challenge, to the verify token",
                "tags": ["gateways"],
                "parameters": [
                    query("hub.mode", "subscribe"),
                    query("hub.verify_token", "CFMP_WHATSAPP_VERIFY_TOKEN"),
                    query("hub.challenge", "Echoed back when the token matches."),
                ],
                "responses": {
                    "200": {"description": "The challenge.", "content": TEXT},
                    "400": REFUSED,
                    "403": FORBIDDEN,
                },
                "security": [{}],
            },
            "post": {
                "operationId": "whatsapp_notification",
                "summary": "A notification of the WhatsApp Business Account: messages, statuses",
                "tags": ["gateways"],
                "parameters": [
                    {
                        "name": "X-Hub-Signature-256",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "sha256=<hex HMAC-SHA256 of the body with the app secret>",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["object", "entry"],
                                "properties": {
                                    "object": {"type": "string"},
                                    "entry": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "Taken (a repeat changes nothing).", "content": TEXT},
                    "400": REFUSED,
                    "403": FORBIDDEN,
                },
                "security": [{}],
            },
        }
    }
