"""The gateways' callbacks in the OpenAPI schema (issue 18). They are plain Django views —
Kannel's get-url reads raw bytes, the webhook checks a signature over the raw body, Twilio
posts forms — so drf-spectacular cannot see them; this hook documents each with its
parameters, request body and every answer it gives, and the API's DRF operations with the
parse and authentication errors DRF answers."""

from __future__ import annotations

from typing import Any

TEXT = {"text/plain": {"schema": {"type": "string"}}}
HTML = {"text/html": {"schema": {"type": "string"}}}
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
REFUSED = {"description": "A value CFMP cannot take, named: `field: reason`.", "content": TEXT}
FORBIDDEN = {"description": "Not signed by the gateway (bad secret or signature).", "content": TEXT}


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


def query(name: str, description: str, required: bool = True) -> dict[str, Any]:
    """A gateway's query parameter, as OpenAPI writes one."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


def _kannel_get_url() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "kannel_inbound",
            "summary": "Inbound SMS from Kannel's sms-service get-url",
            "tags": ["gateways"],
            "parameters": [
                query(
                    "secret",
                    "The inbound SMS key (CFMP_INBOUND_SMS_KEYS), only where Kannel cannot send "
                    "it as HTTP Basic credentials (what `cfmp kannel-config` writes).",
                    False,
                ),
                query("id", "Kannel's message id (%I)."),
                query("from", "The citizen's number (%p)."),
                query("text", "The message (%a), in `charset`."),
                query("to", "The short code (%P).", False),
                query("charset", "UTF-8 or UTF-16BE (%C).", False),
                query("time", "Seconds since 1970 (%t).", False),
            ],
            "responses": {
                "200": {"description": "Stored.", "content": TEXT},
                "400": REFUSED,
                "403": FORBIDDEN,
            },
            "security": [{}],
        }
    }


def _kannel_dlr() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "kannel_delivery_report",
            "summary": "A delivery report from Kannel's dlr-url (one attempt's, signed)",
            "tags": ["gateways"],
            "parameters": [
                query("attempt", "The contact attempt's id."),
                query("type", "Kannel's report type (%d), 0-31."),
                query("sig", "The attempt's signature, from the URL CFMP gave Kannel."),
            ],
            "responses": {
                "200": {"description": "Recorded (a repeat changes nothing).", "content": TEXT},
                "400": REFUSED,
                "403": FORBIDDEN,
                "503": {"description": "Not recorded; Kannel tries again.", "content": TEXT},
            },
            "security": [{}],
        }
    }


def _twilio(action: str, summary: str, fields: dict[str, Any], ok: dict[str, Any]) -> dict:
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


def gateway_paths() -> dict[str, Any]:
    twilio = "/outreach/voice/twilio/{attempt_id}/"
    return {
        "/feedback/webhook/sms": _sms_webhook(),
        "/feedback/kannel/inbound": _kannel_get_url(),
        "/outreach/kannel/dlr": _kannel_dlr(),
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


DRF_ERRORS = {
    "400": "A body that is not JSON, or nested too deep.",
    "401": "No credentials, or bad ones.",
    "403": "Not allowed.",
    "415": "Not application/json.",
}


def add_gateways(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the gateways' paths, and DRF's own error answers."""
    detail = {"type": "object", "properties": {"detail": {"type": "string"}}}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status, description in DRF_ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": detail}},
                    },
                )
    result.setdefault("paths", {}).update(gateway_paths())
    return result
