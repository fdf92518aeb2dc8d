"""Fingerprints at the kiosk, behind two small interfaces, so a vendor's scanner and the
national identity verification service plug in without touching the rest.

On the device, a scanner driver fills `Scanner`: `capture()` returns a template (minutiae,
the vendor's format — never an image) and `match(a, b)` a similarity. The kiosk page sends
the template with the visit; CFMP hands it to `IdentityService.verify`, the national
identity verification (an external call: NADRA's, in Pakistan), which answers with the
CNIC whose fingerprint it is, or None. CFMP then keeps only a keyed hash of that CNIC with
the day (`identity_hash`): enough to refuse a person's fourth visit of the day and to link
the feedback to their transaction, nothing that could rebuild or re-identify a fingerprint
after the day. Without a verified CNIC, the hash is of the template itself, which stops
stuffing only with scanners whose SDK emits a stable template id (the simulator's do).

The simulator stands in for both in the demo and the tests: its template for a finger is
`SIM:<CNIC>` (so a test chooses who presses), and it verifies any 13-digit CNIC."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class Scanner(Protocol):
    """What a vendor's scanner driver provides on the kiosk device."""

    def capture(self) -> bytes: ...

    def match(self, first: bytes, second: bytes) -> float: ...


class IdentityService(Protocol):
    """The national identity verification service: a fingerprint template → its CNIC."""

    def verify(self, template: bytes) -> str | None: ...


class SimulatedIdentityService:
    def verify(self, template: bytes) -> str | None:
        found = re.fullmatch(rb"SIM:(\d{13})", template)
        return found.group(1).decode() if found else None


class NoIdentityService:
    """No verification configured: nobody's CNIC is known, feedback is never linked to a
    transaction by fingerprint (the daily limit still keys on the template)."""

    def verify(self, template: bytes) -> str | None:
        return None


def identity_service() -> IdentityService:
    """The configured service (CFMP_KIOSK_IDENTITY): "none" (the default in production),
    "simulator" (demo and development: it believes any fingerprint it is shown), or the
    national service's adapter a deployment adds here."""
    if settings.CFMP_KIOSK_IDENTITY == "simulator":
        return SimulatedIdentityService()
    if settings.CFMP_KIOSK_IDENTITY == "none":
        return NoIdentityService()
    raise RuntimeError(f"no identity service adapter named {settings.CFMP_KIOSK_IDENTITY!r}")


@dataclass(frozen=True)
class Identity:
    cnic: str  # "" when not verified
    day_hash: str  # keyed hash with the day; "" when no fingerprint was given


def identify(template_b64: str, *, day: str) -> Identity:
    """Who pressed the scanner, as little as CFMP needs: the verified CNIC (kept only in
    memory, to find their transaction) and the day's hash."""
    if not template_b64:
        return Identity("", "")
    try:
        template = base64.b64decode(template_b64, validate=True)
    except ValueError:
        raise ValueError("the fingerprint template is not base64") from None
    cnic = identity_service().verify(template) or ""
    who = f"cnic:{cnic}" if cnic else "template:" + hashlib.sha256(template).hexdigest()
    key = hashlib.sha256(f"kiosk-identity:{settings.SECRET_KEY}".encode()).digest()
    return Identity(cnic, hmac.new(key, f"{day}|{who}".encode(), hashlib.sha256).hexdigest())
