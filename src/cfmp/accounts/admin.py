from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.accounts.models import User
from cfmp.accounts.scopes import can_manage_users
from cfmp.accounts.selectors import users_visible_to
from cfmp.registry.selectors import (
    departments_visible_to,
    districts_visible_to,
    offices_visible_to,
)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    visible_to = staticmethod(users_visible_to)
    may_manage = staticmethod(can_manage_users)
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
    list_select_related = ["department", "district", "office"]
    filter_horizontal = ["assigned_offices"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Role and scope"),
            {"fields": ("role", "department", "district", "office", "assigned_offices")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "department", "district", "office")}),
    )
