"""Reads of the core app."""

from __future__ import annotations

import uuid

from cfmp.accounts.models import User
from cfmp.core.models import FormToken


def spent_form_token(*, token: str, user: User) -> FormToken | None:
    """The spent token of this user's earlier submission of the same page, if any."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return FormToken.objects.filter(token=value, user=user).first()
