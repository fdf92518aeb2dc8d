"""Kannel's callbacks (get-url, dlr-url), for the API schema (`ChannelType.openapi`)."""

from __future__ import annotations

from typing import Any

from cfmp.channels.base import FORBIDDEN, REFUSED, TEXT, query


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


def paths() -> dict[str, Any]:
    return {
        "/feedback/kannel/inbound": _kannel_get_url(),
        "/outreach/kannel/dlr": _kannel_dlr(),
    }
