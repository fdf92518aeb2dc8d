"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cfmp.accounts.models import IdentityView
from cfmp.accounts.scopes import can_view_citizen_identity


def record_identity_view(
    *,
    user: Any,
    purpose: str,
    subject: str,
    object_ids: Iterable[int],
    request: Any = None,
) -> IdentityView | None:
    """Log that `user` was shown these citizens' identities. Nothing is logged for users who
    are shown masked identities, or when no identity was on the page."""
    ids = sorted({int(pk) for pk in object_ids})
    if not ids or not can_view_citizen_identity(user):
        return None
    return IdentityView.objects.create(
        user=user,
        viewed_at=timezone.now(),
        purpose=purpose,
        subject=subject,
        object_ids=ids,
        path=(request.get_full_path()[:300] if request is not None else ""),
        remote_addr=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
    )
