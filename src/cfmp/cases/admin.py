from django.contrib import admin

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.accounts.scopes import sees_complaints_generalised
from cfmp.cases.models import CaseEvent, RoutingRule
from cfmp.cases.selectors import events_visible_to


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    """Where each department's cases of each kind start, and their SLA: the secretariat
    edits it, like the registry."""

    visible_to = staticmethod(lambda user: RoutingRule.objects.select_related("department"))
    list_display = ["department", "kind", "level", "sla_days"]
    list_filter = ["level", "kind"]


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdmin):
    """Every case's trail, read-only, for the secretariat and auditors."""

    visible_to = staticmethod(events_visible_to)
    list_display = ["at", "case", "kind", "actor", "from_state", "to_state", "note"]
    list_filter = ["kind"]
    date_hierarchy = "at"

    def get_list_display(self, request):
        """The reasons people wrote are read masked, on the case page, below the identity
        roles (`cases.privacy`): the admin leaves them out."""
        shown = super().get_list_display(request)
        if sees_complaints_generalised(request.user):
            return [name for name in shown if name != "note"]
        return shown

    def get_exclude(self, request, obj=None):
        hidden = ["note"] if sees_complaints_generalised(request.user) else []
        return [*(super().get_exclude(request, obj) or []), *hidden]
