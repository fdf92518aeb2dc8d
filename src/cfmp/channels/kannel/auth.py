"""Checking that an inbound SMS really comes from Kannel (keys: cfmp.core.keys).

Kannel cannot sign a request. Its `get-url` presents the inbound SMS key as HTTP Basic
credentials (`https://kannel:KEY@cfmp.example/feedback/kannel/inbound?...`): the key travels
in a header, never in the query string, so it stays out of access logs. The older form, the
key as a `secret` query parameter, is still accepted; CFMP's own logs redact it."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest

from cfmp.core import keys


def secret_is_valid(candidate: str) -> bool:
    return keys.matches("inbound_sms", candidate)


def basic_auth_key(request: HttpRequest) -> str:
    """The password of HTTP Basic credentials, or "" (the user name is not checked)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]
