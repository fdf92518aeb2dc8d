from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.accounts.models import IdentityView, SignInEvent, User
from cfmp.accounts.scopes import can_manage_users, can_read_access_log
from cfmp.accounts.selectors import (
    identity_views_visible_to,
    sign_in_events_visible_to,
    users_visible_to,
)
from cfmp.registry.selectors import (
    departments_visible_to,
    districts_visible_to,
    offices_visible_to,
)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    visible_to = staticmethod(users_visible_to)
    scoped_choices = {
        "department": departments_visible_to,
        "district": districts_visible_to,
        "office": offices_visible_to,
        "assigned_offices": offices_visible_to,
    }
    list_display = [
        "username",
        "get_full_name",
        "role",
        "department",
        "district",
        "office",
        "is_active",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    actions = ["lift_lockout", "remove_second_factor"]
    list_select_related = ["department", "district", "office"]
    filter_horizontal = ["assigned_offices"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Role and scope"),
            {"fields": ("role", "department", "district", "office", "assigned_offices")},
        ),
    )

    @admin.action(description=_("Lift the sign-in lockout of the selected users"))
    def lift_lockout(self, request: HttpRequest, queryset: Any) -> None:
        from axes.utils import reset

        for user in queryset:
            reset(username=user.get_username())
        messages.success(request, _("Sign-in lockouts lifted."))

    @admin.action(description=_("Remove the second factor of the selected users (a lost phone)"))
    def remove_second_factor(self, request: HttpRequest, queryset: Any) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user__in=queryset).delete()
        messages.success(request, _("Second factors removed: each sets a new one at sign-in."))

    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "department", "district", "office")}),
    )


@admin.register(IdentityView)
class IdentityViewAdmin(ScopedAdmin):
    """The access log: read-only for everyone (rows are never changed or deleted)."""

    visible_to = staticmethod(identity_views_visible_to)
    list_display = ["viewed_at", "user", "purpose", "subject", "object_ids", "path", "remote_addr"]
    list_filter = ["purpose", "subject"]
    search_fields = ["user__username", "path"]
    date_hierarchy = "viewed_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and can_read_access_log(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and can_read_access_log(request.user)


@admin.register(SignInEvent)
class SignInEventAdmin(ScopedAdmin):
    """The sign-in log: the secretariat's, read-only."""

    visible_to = staticmethod(sign_in_events_visible_to)
    list_display = ["at", "kind", "username", "remote_addr", "user_agent"]
    list_filter = ["kind"]
    search_fields = ["username", "remote_addr"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and can_manage_users(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and can_manage_users(request.user)
