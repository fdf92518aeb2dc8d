"""CNICs (13-digit national identity numbers): matched by a keyed digest, opened only by the
secretariat, otherwise shown as the last four digits.

Keys come from `CFMP_CNIC_KEY` (any long random string) or, if unset, from the secret key.
Set `CFMP_CNIC_KEY` in production: rotating the secret key must not make sealed CNICs
unreadable or change every digest.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from cfmp.intake.phones import clean_digits

_CNIC = re.compile(r"^\d{5}-?\d{7}-?\d$", re.ASCII)


class InvalidCnic(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ProtectedCnic:
    digest: str
    sealed: str
    last4: str


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[bytes, AESGCM]:
    root = hashlib.sha256(b"cfmp-cnic:" + master.encode()).digest()
    digest_key = hashlib.blake2b(b"digest", key=root, digest_size=32).digest()
    seal_key = hashlib.blake2b(b"seal", key=root, digest_size=32).digest()
    return digest_key, AESGCM(seal_key)


def _master_key() -> str:
    return getattr(settings, "CFMP_CNIC_KEY", "") or settings.SECRET_KEY


def parse_cnic(raw: str) -> str:
    """13 digits from `35202-1234567-1`, `3520212345671` or Urdu-Indic digits."""
    value = clean_digits(raw.strip())
    if not _CNIC.match(value):
        raise InvalidCnic("a CNIC has 13 digits, e.g. 35202-1234567-1")
    return value.replace("-", "")


def cnic_digest(cnic: str) -> str:
    digest_key, _ = _keys(_master_key())
    return hashlib.blake2b(cnic.encode(), key=digest_key, digest_size=32).hexdigest()


def protect_cnic(cnic: str) -> ProtectedCnic:
    _, cipher = _keys(_master_key())
    nonce = os.urandom(12)
    sealed = nonce + cipher.encrypt(nonce, cnic.encode(), None)
    return ProtectedCnic(
        digest=cnic_digest(cnic),
        sealed=base64.urlsafe_b64encode(sealed).decode(),
        last4=cnic[-4:],
    )


def open_sealed_cnic(sealed: str) -> str:
    """The CNIC in clear. Callers must have checked `can_view_full_cnic(user)`."""
    _, cipher = _keys(_master_key())
    blob = base64.urlsafe_b64decode(sealed)
    return cipher.decrypt(blob[:12], blob[12:], None).decode()


def format_cnic(cnic: str) -> str:
    return f"{cnic[:5]}-{cnic[5:12]}-{cnic[12:]}"


def masked_cnic(last4: str) -> str:
    return f"*****-****{last4[:3]}-{last4[3:]}" if len(last4) == 4 else ""
