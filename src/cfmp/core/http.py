"""Request types for the type checker."""

from __future__ import annotations

from django.http import HttpRequest

from cfmp.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request that passed `login_required` (or `accounts.permissions.requires`): its user
    is a signed-in User, never AnonymousUser. Annotate such views' `request` with it; the
    selectors and services they call take `user: User`."""

    user: User
