"""The JSON webhook's callback, for the API schema (`ChannelType.openapi`)."""

from __future__ import annotations

from typing import Any

from cfmp.channels.base import FORBIDDEN, REFUSED

SMS = {
    "type": "object",
    "required": ["id", "from", "text"],
    "properties": {
        "id": {"type": "string", "maxLength": 100, "description": "The gateway's message id."},
        "from": {"type": "string", "maxLength": 32, "description": "The citizen's number."},
        "text": {"type": "string"},
        "to": {"type": "string", "maxLength": 32},
        "received_at": {"type": "string", "format": "date-time", "description": "With offset."},
    },
}
RECEIVED = {
    "type": "object",
    "required": ["id", "kind", "created"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": ["reply", "unsolicited", "opt_out"]},
        "created": {"type": "boolean"},
    },
}


def _sms_webhook() -> dict[str, Any]:
    return {
        "post": {
            "operationId": "sms_webhook",
            "summary": "Inbound SMS from an aggregator, signed (one message or up to 1,000)",
            "tags": ["gateways"],
            "parameters": [
                {
                    "name": "X-CFMP-Signature",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "sha256=<hex HMAC-SHA256 of the body with the shared secret>",
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                SMS,
                                {
                                    "type": "object",
                                    "required": ["messages"],
                                    "properties": {
                                        "messages": {
                                            "type": "array",
                                            "items": SMS,
                                            "minItems": 1,
                                            "maxItems": 1000,
                                        }
                                    },
                                },
                            ]
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Stored before (one message), or the batch's results.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    RECEIVED,
                                    {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {"type": "array", "items": RECEIVED}
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "201": {
                    "description": "Stored.",
                    "content": {"application/json": {"schema": RECEIVED}},
                },
                "400": REFUSED,
                "403": FORBIDDEN,
            },
            "security": [{}],
        }
    }


def paths() -> dict[str, Any]:
    return {"/feedback/webhook/sms": _sms_webhook()}
