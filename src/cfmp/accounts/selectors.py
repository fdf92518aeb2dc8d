from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cfmp.accounts.models import User
from cfmp.accounts.scopes import can_manage_users


def users_visible_to(user: Any) -> QuerySet[User]:
    """The secretariat sees every account; anyone else only their own."""
    users = User.objects.select_related("department", "district", "office")
    if can_manage_users(user):
        return users
    if getattr(user, "is_authenticated", False):
        return users.filter(pk=user.pk)
    return users.none()
