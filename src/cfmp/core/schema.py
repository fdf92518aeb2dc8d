"""What the published OpenAPI schema (/api/schema/, /api/docs/) describes."""

from __future__ import annotations

from typing import Any

PUBLIC_PREFIX = "/api/v1/"


def public_endpoints(endpoints: list[tuple[str, Any, str, Any]], **kwargs: Any) -> list:
    """drf-spectacular's preprocessing hook: the source systems' API only. The kiosks' device
    API is CFMP's own client's (kiosk.js), not a public interface, and is left out."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]
