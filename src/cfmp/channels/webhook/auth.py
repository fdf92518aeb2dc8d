"""The JSON webhook is signed: `X-CFMP-Signature: sha256=<hex HMAC-SHA256 of the body with
the webhook key>` (keys: cfmp.core.keys), the scheme GitHub and most SMS aggregators use."""

from __future__ import annotations

from cfmp.core import keys


def body_signature(body: bytes) -> str:
    return f"sha256={keys.sign('webhook', body)}"


def body_signature_is_valid(body: bytes, header: str) -> bool:
    return keys.verify("webhook", body, header)
