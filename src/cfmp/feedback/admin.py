from django.contrib import admin

from cfmp.accounts.admin_scoping import LogsIdentityViews, ScopedAdmin
from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.feedback.models import Feedback, InboundMessage


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
    may_manage = staticmethod(lambda user: False)
    list_display = ["received_at", "kind", "sender", "text", "survey", "gateway"]
    list_filter = ["kind", "gateway"]
    search_fields = ["sender", "text"]
    date_hierarchy = "received_at"


def _feedback_visible_to(user):
    """Until officers' masked views exist (issue 5), feedback is shown in the admin to the
    roles that may see citizens' messages."""
    if not can_view_citizen_identity(user):
        return Feedback.objects.none()
    return Feedback.objects.select_related("message", "transaction__office")


@admin.register(Feedback)
class FeedbackAdmin(LogsIdentityViews, ScopedAdmin):
    visible_to = staticmethod(_feedback_visible_to)
    may_manage = staticmethod(lambda user: False)
    list_display = ["created_at", "category", "confidence", "bribe_amount", "channel", "message"]
    list_filter = ["category", "channel", "needs_review"]
    date_hierarchy = "created_at"
