"""Meta's two proofs: the subscription handshake's verify token, and each notification's
X-Hub-Signature-256 ("sha256=" and the hex HMAC-SHA256 of the raw body, keyed with the
app's secret)."""

from __future__ import annotations

import hashlib
import hmac

from cfmp.channels.base import own_setting

PREFIX = "sha256="


def app_secrets() -> list[str]:
    return [s.strip() for s in str(own_setting("CFMP_WHATSAPP_APP_SECRET")).split(",") if s.strip()]


def signature(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_is_valid(body: bytes, header: str) -> bool:
    """Signed with one of the app's secrets (none configured: nothing is accepted)."""
    if not header.startswith(PREFIX):
        return False
    given = header.strip().lower()
    return any(hmac.compare_digest(signature(body, secret), given) for secret in app_secrets())


def verify_token_matches(token: str) -> bool:
    expected = str(own_setting("CFMP_WHATSAPP_VERIFY_TOKEN"))
    return bool(expected) and hmac.compare_digest(expected.encode(), token.encode())
