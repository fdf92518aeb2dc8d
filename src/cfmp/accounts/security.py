"""The client's address, as the sign-in throttle and the access logs record it."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """REMOTE_ADDR, or behind CFMP's TLS proxy (CFMP_BEHIND_TLS_PROXY) the address that proxy
    appended last to X-Forwarded-For: the only entry a client cannot forge (entries before it
    are whatever the client sent)."""
    if getattr(settings, "CFMP_BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR") or None
