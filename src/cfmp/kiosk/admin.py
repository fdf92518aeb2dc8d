"""The secretariat's kiosk controls: register a kiosk (its one-time enrolment code is shown
once), revoke one, give a replaced device a new code; the tamper and abuse signs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.accounts.scopes import office_scope
from cfmp.kiosk import services
from cfmp.kiosk.models import Kiosk, KioskEvent


def kiosks_visible_to(user):
    return Kiosk.objects.filter(office_scope(user, via="office")).select_related("office")


def kiosk_events_visible_to(user):
    return KioskEvent.objects.filter(office_scope(user, via="kiosk__office")).select_related(
        "kiosk__office"
    )


class KioskForm(forms.ModelForm):
    class Meta:
        model = Kiosk
        fields = ["office", "name"]


@admin.register(Kiosk)
class KioskAdmin(ScopedAdmin):
    visible_to = staticmethod(kiosks_visible_to)
    form = KioskForm
    list_display = ["name", "office", "enrolled_at", "revoked_at", "last_seen_at",
                    "clock_skew_seconds"]  # fmt: skip
    readonly_fields = ["enrolled_at", "revoked_at", "last_seen_at", "clock_skew_seconds"]
    actions = ["revoke", "new_enrolment_code"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        kiosk, code = services.register_kiosk(
            office=obj.office, name=obj.name, by=request.user, now=timezone.now()
        )
        obj.pk = kiosk.pk
        messages.success(request, f"{kiosk.name}: enrolment code {code} — enter it on the "
                                  f"kiosk within two days; it is shown only now.")  # fmt: skip

    @admin.action(description="Revoke the selected kiosks")
    def revoke(self, request, queryset) -> None:
        for kiosk in queryset:
            services.revoke_kiosk(kiosk=kiosk)
        messages.success(request, f"{queryset.count()} kiosk(s) revoked")

    @admin.action(description="New enrolment code (a replaced device)")
    def new_enrolment_code(self, request, queryset) -> None:
        for kiosk in queryset:
            code = services.new_enrolment_code(kiosk=kiosk)
            messages.success(request, f"{kiosk.name}: enrolment code {code} (shown only now)")


@admin.register(KioskEvent)
class KioskEventAdmin(ScopedAdmin):
    visible_to = staticmethod(kiosk_events_visible_to)
    list_display = ["at", "kiosk", "kind", "detail", "acknowledged_at"]
    list_filter = ["kind"]
    readonly_fields = ["kiosk", "kind", "detail", "at", "acknowledged_by", "acknowledged_at"]
    actions = ["acknowledge"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Mark as seen")
    def acknowledge(self, request, queryset) -> None:
        queryset.filter(acknowledged_at__isnull=True).update(
            acknowledged_by=request.user, acknowledged_at=timezone.now()
        )
