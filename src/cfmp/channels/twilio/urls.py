"""The provider's callbacks, at the URLs each call is started with."""

from django.urls import path

from cfmp.channels.twilio import views

urlpatterns = [
    path(
        "outreach/voice/twilio/<int:attempt_id>/answer",
        views.twilio_answer,
        name="voice-twilio-answer",
    ),
    path(
        "outreach/voice/twilio/<int:attempt_id>/gather",
        views.twilio_gather,
        name="voice-twilio-gather",
    ),
    path(
        "outreach/voice/twilio/<int:attempt_id>/status",
        views.twilio_status,
        name="voice-twilio-status",
    ),
]
