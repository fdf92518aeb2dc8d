from django.contrib import admin

from cfmp.accounts.admin_scoping import ScopedAdmin
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
