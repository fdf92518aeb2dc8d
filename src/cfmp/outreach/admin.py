from django.contrib import admin

from cfmp.accounts.admin_scoping import LogsIdentityViews, ScopedAdmin
from cfmp.accounts.scopes import can_manage_registry
from cfmp.outreach.models import ChannelSetting, Holiday, OptOut, SurveyPlan


def _everything(model):
    return staticmethod(lambda user: model.objects.all())


@admin.register(SurveyPlan)
class SurveyPlanAdmin(ScopedAdmin):
    visible_to = _everything(SurveyPlan)
    may_manage = staticmethod(can_manage_registry)
    list_display = [
        "__str__",
        "robocall",
        "robocall_delay",
        "sms_delay",
        "manual_call_rate",
        "language",
    ]


@admin.register(ChannelSetting)
class ChannelSettingAdmin(ScopedAdmin):
    visible_to = _everything(ChannelSetting)
    may_manage = staticmethod(can_manage_registry)
    list_display = ["channel", "paused", "daily_capacity", "rate_per_second"]
    list_editable = ["paused", "daily_capacity", "rate_per_second"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    visible_to = _everything(Holiday)
    may_manage = staticmethod(can_manage_registry)
    list_display = ["date", "name"]


@admin.register(OptOut)
class OptOutAdmin(LogsIdentityViews, ScopedAdmin):
    """Numbers are citizens' identities: only roles that may see them manage this list."""

    visible_to = staticmethod(
        lambda user: OptOut.objects.all() if can_manage_registry(user) else OptOut.objects.none()
    )
    may_manage = staticmethod(can_manage_registry)
    list_display = ["mobile", "source", "created_at"]
    search_fields = ["mobile"]
