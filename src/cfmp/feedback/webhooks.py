"""Checking that a gateway's callback really comes from the gateway.

Kannel cannot sign a request, so its `get-url` carries the shared secret as a parameter
(keep the URL private, and the link to Kannel on a private network). The JSON webhook is
signed: `X-CFMP-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>`, the
scheme GitHub and most SMS aggregators use."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def secret_is_valid(candidate: str) -> bool:
    return hmac.compare_digest(settings.CFMP_WEBHOOK_SECRET.encode(), candidate.encode())


def body_signature(body: bytes) -> str:
    digest = hmac.new(settings.CFMP_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_signature_is_valid(body: bytes, header: str) -> bool:
    return hmac.compare_digest(body_signature(body).encode(), header.strip().encode())
