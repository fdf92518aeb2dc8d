"""The gateways' callbacks in the OpenAPI schema (issue 18). They are plain Django views —
Kannel's get-url reads raw bytes, the webhook checks a signature over the raw body, Twilio
posts forms — so drf-spectacular cannot see them: each channel type describes its own
(`ChannelType.openapi`, in its folder) with its parameters, request body and every answer it
gives, and this hook adds them, with the parse and authentication errors DRF answers to the
API's own operations."""

from __future__ import annotations

from typing import Any

from cfmp.channels.registry import channel_types


def gateway_paths() -> dict[str, Any]:
    """Every listed channel type's callbacks."""
    paths: dict[str, Any] = {}
    for kind in channel_types().values():
        if kind.openapi is not None:
            paths.update(kind.openapi())
    return paths


DRF_ERRORS = {
    "400": "A body that is not JSON, or nested too deep.",
    "401": "No credentials, or bad ones.",
    "403": "Not allowed.",
    "415": "Not application/json.",
}


def add_gateways(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the gateways' paths, and DRF's own error answers."""
    detail = {"type": "object", "properties": {"detail": {"type": "string"}}}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status, description in DRF_ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": detail}},
                    },
                )
    result.setdefault("paths", {}).update(gateway_paths())
    return result
