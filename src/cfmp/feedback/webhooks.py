"""Checking that a gateway's callback really comes from the gateway.

Kannel cannot sign a request, so its `get-url` carries the shared secret as a parameter
(keep the URL private, and the link to Kannel on a private network). The JSON webhook is
signed: `X-CFMP-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>`, the
scheme GitHub and most SMS aggregators use."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def _bytes(value: str | bytes) -> bytes:
    """As bytes whatever it holds (non-ASCII, a lone surrogate): compare_digest refuses a
    str with non-ASCII characters, and a forged header must get 403, never 500."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def secret_is_valid(candidate: str | bytes) -> bool:
    return hmac.compare_digest(_bytes(settings.CFMP_WEBHOOK_SECRET), _bytes(candidate))


def body_signature(body: bytes) -> str:
    digest = hmac.new(settings.CFMP_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_signature_is_valid(body: bytes, header: str) -> bool:
    return hmac.compare_digest(_bytes(body_signature(body)), _bytes(header.strip()))
