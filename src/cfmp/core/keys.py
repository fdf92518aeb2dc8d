"""Keys per purpose, each rotatable with an overlap window, and logs that never show them.

Every purpose has its own list of keys in settings (CFMP_INBOUND_SMS_KEYS, CFMP_DLR_KEYS,
CFMP_WEBHOOK_KEYS, CFMP_KIOSK_KEYS: comma-separated). The first key signs; every key in the
list verifies. To rotate: put the new key first and keep the old one after it while senders
move over (the overlap window), then drop the old one. A purpose with no key of its own falls
back to one derived from SECRET_KEY for that purpose alone, so one leaked key never opens
another door.

    keys.sign("webhook", body)             -> hex HMAC-SHA256 with the current key
    keys.verify("webhook", body, given)    -> True if any current or previous key made it
    keys.verify("dlr", msg, sig, length=32) -> the same for a signature cut to 32 hex digits
    keys.matches("inbound_sms", candidate) -> the shared-secret form (a gateway that can
                                              only send a fixed key, not sign)
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterable

from django.conf import settings

PURPOSES = {
    "inbound_sms": "CFMP_INBOUND_SMS_KEYS",
    "dlr": "CFMP_DLR_KEYS",
    "webhook": "CFMP_WEBHOOK_KEYS",
    "kiosk": "CFMP_KIOSK_KEYS",
}


def keys_for(purpose: str) -> list[bytes]:
    """The purpose's keys, current first. Never empty."""
    try:
        setting = PURPOSES[purpose]
    except KeyError:
        raise LookupError(f"no key purpose {purpose!r}; one of {', '.join(PURPOSES)}") from None
    configured = [key for key in getattr(settings, setting, []) if key]
    if configured:
        return [key.encode() for key in configured]
    derived = hmac.new(settings.SECRET_KEY.encode(), f"cfmp:{purpose}".encode(), hashlib.sha256)
    keys = [derived.hexdigest().encode()]
    legacy = getattr(settings, "CFMP_WEBHOOK_SECRET", "")
    if purpose in LEGACY_SHARED_SECRET and legacy:
        # Before issue 19 one secret (CFMP_WEBHOOK_SECRET) served these purposes: it still
        # verifies, as a previous key, until the purpose's own keys are set (the deployment
        # check warns meanwhile).
        keys.append(legacy.encode())
    return keys


def configured(purpose: str) -> bool:
    return any(getattr(settings, PURPOSES[purpose], []))


LEGACY_SHARED_SECRET = frozenset({"inbound_sms", "dlr", "webhook"})


def digests(purpose: str, secret: str) -> list[str]:
    """A credential's keyed digest under each of the purpose's keys, current first: store
    the first, look a presented credential up by any (a leaked table of digests cannot be
    searched for short codes without the key)."""
    return [sign(purpose, secret, key=key) for key in keys_for(purpose)]


def current_key(purpose: str) -> str:
    return keys_for(purpose)[0].decode()


def sign(purpose: str, message: bytes | str, *, key: bytes | None = None) -> str:
    # surrogatepass: a hostile string (a lone surrogate) is signed, never a 500.
    data = message.encode("utf-8", "surrogatepass") if isinstance(message, str) else message
    return hmac.new(key or keys_for(purpose)[0], data, hashlib.sha256).hexdigest()


def verify(
    purpose: str, message: bytes | str, signature: str, *, length: int | None = None
) -> bool:
    """True if any of the purpose's keys (current or previous) signed this message. `length`:
    the signature was cut to its first `length` hex digits (to keep a URL short)."""
    if not signature:
        return False
    # Compared as bytes: compare_digest refuses a str with non-ASCII characters, and a
    # forged signature must get 403, never 500.
    candidate = signature.strip().lower().removeprefix("sha256=").encode("utf-8", "surrogatepass")
    return _any(
        hmac.compare_digest(sign(purpose, message, key=key)[:length].encode(), candidate)
        for key in keys_for(purpose)
    )


def matches(purpose: str, candidate: str) -> bool:
    """A shared key sent as is (for a gateway that cannot sign): any current or previous key."""
    if not candidate:
        return False
    given = candidate.encode("utf-8", "surrogatepass")
    return _any(hmac.compare_digest(key, given) for key in keys_for(purpose))


def _any(results: Iterable[bool]) -> bool:
    # Every key is compared (no early exit), so timing tells nothing about which matched.
    return any(list(results))


# Query parameters and headers that carry keys; their values never reach a log.
SECRET_PARAMETERS = ("secret", "key", "token", "password", "signature", "sig", "api_key")
_SECRET_IN_QUERY = re.compile(
    r"(?i)(?P<name>\b(?:" + "|".join(SECRET_PARAMETERS) + r")=)(?P<value>[^&\s\"']+)"
)
_SECRET_IN_HEADER = re.compile(r"(?i)(?P<name>\b(?:Token|Bearer|Basic)\s+)(?P<value>[^\s\"',]+)")


def redact(text: str) -> str:
    """The text with every key-bearing query parameter's and Authorization header's value
    replaced, and every configured key removed wherever it appears."""
    text = _SECRET_IN_QUERY.sub(r"\g<name>[redacted]", text)
    text = _SECRET_IN_HEADER.sub(r"\g<name>[redacted]", text)
    for purpose in PURPOSES:
        for key in keys_for(purpose):
            if len(key) >= 8:
                text = text.replace(key.decode(), "[redacted]")
    return text


class RedactSecrets(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts keys from every record: a gateway
    that must carry its key in the URL (Kannel's get-url) leaves it in request logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is rather than lost
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
