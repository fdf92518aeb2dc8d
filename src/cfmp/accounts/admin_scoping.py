"""Django admin, scoped by the same rules as every other door into CFMP.

Admin access is role-based rather than per-user permissions: staff users with a role that may
use the admin see the rows their scope allows; only roles allowed to manage a model may change
it. Foreign-key choices are narrowed too, so no form offers an office outside the user's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cfmp.accounts.scopes import can_use_admin_site


class ScopedAdmin(admin.ModelAdmin):
    # The `*_visible_to(user)` selector for this model.
    visible_to: Callable[[Any], QuerySet]
    # Who may add, change and delete (a function of the user).
    may_manage: Callable[[Any], bool]
    # Selectors narrowing foreign-key choices: {"office": offices_visible_to, ...}.
    scoped_choices: dict[str, Callable[[Any], QuerySet]] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        ordering = self.get_ordering(request)
        queryset = self.visible_to(request.user)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_use_admin_site(request.user)

    def _may_manage(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user) and self.may_manage(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        selector = self.scoped_choices.get(db_field.name)
        if selector is not None:
            kwargs["queryset"] = selector(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        selector = self.scoped_choices.get(db_field.name)
        if selector is not None:
            kwargs["queryset"] = selector(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
