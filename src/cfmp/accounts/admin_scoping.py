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

from cfmp.accounts.models import User
from cfmp.accounts.permissions import allowed
from cfmp.accounts.scopes import can_use_admin_site
from cfmp.core.bounds import check_lookup_integers


class ScopedAdmin(admin.ModelAdmin):
    """Add, change and delete need the model's door in `cfmp.accounts.permissions.DOORS`
    ("admin:app.model"); each action its own ("admin:app.model:action"). An action without
    a door is never offered nor run (Django would otherwise run it for anyone who may view
    the list)."""

    # The `*_visible_to(user)` selector for this model.
    visible_to: Callable[[Any], QuerySet]
    # Selectors narrowing foreign-key choices: {"office": offices_visible_to, ...}.
    scoped_choices: dict[str, Callable[[Any], QuerySet]] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        ordering = self.get_ordering(request)
        queryset = self.visible_to(request.user)
        return queryset.order_by(*ordering) if ordering else queryset

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # A filter value past its column's range is a 400 naming it (issue 18), not a 500.
        check_lookup_integers(self.model, dict(request.GET.lists()))
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_use_admin_site(request.user)

    @property
    def door(self) -> str:
        return f"admin:{self.model._meta.label_lower}"

    def _may_manage(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user) and allowed(request.user, self.door)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not can_use_admin_site(request.user):
            return {}
        return {
            name: action
            for name, action in actions.items()
            if allowed(request.user, self.action_door(name))
        }

    def action_door(self, name: str) -> str:
        return self.door if name == "delete_selected" else f"{self.door}:{name}"

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


class LogsIdentityViews(admin.ModelAdmin):
    """For admins whose rows show citizens' identities: every list page and object page
    shown is written to the access log (`accounts.IdentityView`)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self._log_view(request, [obj.pk for obj in changelist.result_list])
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and object_id.isdigit():
            self._log_view(request, [int(object_id)])
        return response

    def _log_view(self, request: HttpRequest, ids: list[int]) -> None:
        from cfmp.accounts.services import record_identity_view

        assert isinstance(request.user, User)  # the admin site is for signed-in staff
        record_identity_view(
            user=request.user,
            purpose="admin",
            subject=self.model._meta.label_lower,
            object_ids=ids,
            request=request,
        )
