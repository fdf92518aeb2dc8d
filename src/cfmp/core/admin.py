"""The secretariat's view of quarantined background items: what failed, why, how often,
when it is tried next; "try again now" after fixing the cause."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.accounts.scopes import can_see_quarantine
from cfmp.core import quarantine
from cfmp.core.models import QuarantinedItem


def quarantine_visible_to(user: Any) -> QuerySet[QuarantinedItem]:
    if can_see_quarantine(user):
        return QuarantinedItem.objects.all()
    return QuarantinedItem.objects.none()


@admin.register(QuarantinedItem)
class QuarantinedItemAdmin(ScopedAdmin):
    visible_to = staticmethod(quarantine_visible_to)
    list_display = ["last_failed_at", "pipeline", "item", "state", "attempts", "short_error"]
    list_filter = ["pipeline", "state"]
    search_fields = ["item", "error"]
    ordering = ["-last_failed_at"]
    readonly_fields = [
        "pipeline",
        "item",
        "state",
        "error",
        "attempts",
        "payload",
        "first_failed_at",
        "last_failed_at",
        "next_try_at",
    ]
    actions = ["try_again"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and can_see_quarantine(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and can_see_quarantine(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj: QuarantinedItem) -> str:
        return obj.error[:120]

    @admin.action(description=_("Try again now"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[QuarantinedItem]) -> None:
        count = quarantine.retry_now(queryset)
        messages.success(
            request,
            ngettext(
                "%(count)d item will be tried at the next run.",
                "%(count)d items will be tried at the next run.",
                count,
            )
            % {"count": count},
        )
