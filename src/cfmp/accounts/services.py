"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cfmp.accounts.models import IdentityView, SignInEvent, User
from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.accounts.security import client_ip


def record_identity_view(
    *,
    user: User,
    purpose: str,
    subject: str,
    object_ids: Iterable[int | str],
    request: Any = None,
    unmasked: bool = False,
) -> IdentityView | None:
    """Log that `user` was shown these citizens' identities. Nothing is logged for users who
    are shown masked identities, or when no identity was on the page. `unmasked`: the page
    shows identities in full to whoever may open it (an import's error file, to the operator
    who uploaded it), so it is logged whatever the role.

    The log records which rows were shown, never what identifies a citizen: the path is kept
    without its query string (a search by number, `?mobile=+92…`, would otherwise put the
    number in the log the auditor reads)."""
    ids = sorted({pk if isinstance(pk, int) else str(pk) for pk in object_ids}, key=str)
    if not ids or not (unmasked or can_view_citizen_identity(user)):
        return None
    return IdentityView.objects.create(
        user=user,
        viewed_at=timezone.now(),
        purpose=purpose,
        subject=subject,
        object_ids=ids,
        path=(request.path[:300] if request is not None else ""),
        remote_addr=client_ip(request) if request is not None else None,
    )


def record_sign_in_event(
    *, kind: str, request: Any = None, user: User | None = None, username: str = ""
) -> SignInEvent:
    meta = request.META if request is not None else {}
    return SignInEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", ""))[:150],
        remote_addr=client_ip(request) if request is not None else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:200],
    )
