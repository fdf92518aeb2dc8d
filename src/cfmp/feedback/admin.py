from django.contrib import admin

from cfmp.accounts.admin_scoping import LogsIdentityViews, ScopedAdmin
from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.feedback.models import CallRequest, CitizenCall, Feedback, InboundMessage


def _messages_visible_to(user):
    """What citizens wrote, with their numbers: the roles that may see identities only.
    (Officers see feedback, masked, through the reports and cases.)"""
    if not can_view_citizen_identity(user):
        return InboundMessage.objects.none()
    return InboundMessage.objects.select_related("survey")


@admin.register(InboundMessage)
class InboundMessageAdmin(LogsIdentityViews, ScopedAdmin):
    """Read-only: a citizen's message is evidence, never edited."""

    visible_to = staticmethod(_messages_visible_to)
    list_display = ["received_at", "kind", "sender", "text", "survey", "gateway"]
    list_filter = ["kind", "gateway"]
    search_fields = ["sender", "text"]
    date_hierarchy = "received_at"


def _feedback_visible_to(user):
    """Feedback in the admin shows citizens' messages whole: for the roles that may see
    them (officers read it masked on the Feedback page)."""
    if not can_view_citizen_identity(user):
        return Feedback.objects.none()
    return Feedback.objects.select_related("message", "transaction__office")


@admin.register(Feedback)
class FeedbackAdmin(LogsIdentityViews, ScopedAdmin):
    visible_to = staticmethod(_feedback_visible_to)
    list_display = ["created_at", "category", "confidence", "bribe_amount", "channel", "message"]
    list_filter = ["category", "channel", "needs_review"]
    date_hierarchy = "created_at"


def _calls_visible_to(user):
    if not can_view_citizen_identity(user):
        return CitizenCall.objects.none()
    return CitizenCall.objects.select_related("logged_by", "transaction")


@admin.register(CitizenCall)
class CitizenCallAdmin(LogsIdentityViews, ScopedAdmin):
    """Calls made by agents and senior officials: the record, read-only."""

    visible_to = staticmethod(_calls_visible_to)
    list_display = ["called_at", "mobile", "outcome", "logged_by", "direct_caller", "transaction"]
    list_filter = ["outcome"]
    search_fields = ["mobile", "direct_caller", "logged_by__username"]
    date_hierarchy = "called_at"


def _call_requests_visible_to(user):
    if not can_view_citizen_identity(user):
        return CallRequest.objects.none()
    return CallRequest.objects.select_related("agent")


@admin.register(CallRequest)
class CallRequestAdmin(LogsIdentityViews, ScopedAdmin):
    """The call centre's queue, for supervisors: who waits, who holds which call."""

    visible_to = staticmethod(_call_requests_visible_to)
    list_display = ["created_at", "mobile", "reason", "state", "priority", "tries", "agent"]
    list_filter = ["state", "reason"]
    search_fields = ["mobile"]
