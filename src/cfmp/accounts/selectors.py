from __future__ import annotations

from django.db.models import QuerySet

from cfmp.accounts.models import IdentityView, SignInEvent, User
from cfmp.accounts.scopes import can_manage_users, can_read_access_log


def users_visible_to(user: User) -> QuerySet[User]:
    """The secretariat sees every account; anyone else only their own."""
    users = User.objects.select_related("department", "district", "office")
    if can_manage_users(user):
        return users
    if getattr(user, "is_authenticated", False):
        return users.filter(pk=user.pk)
    return users.none()


def identity_views_visible_to(user: User) -> QuerySet[IdentityView]:
    """The access log of citizens' identities, for the secretariat and auditors."""
    if not can_read_access_log(user):
        return IdentityView.objects.none()
    return IdentityView.objects.select_related("user")


def sign_in_events_visible_to(user: User) -> QuerySet[SignInEvent]:
    """The sign-in log, for the secretariat (who manages accounts)."""
    if not can_manage_users(user):
        return SignInEvent.objects.none()
    return SignInEvent.objects.select_related("user").order_by("-at")
