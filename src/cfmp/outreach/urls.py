from django.urls import path

from cfmp.outreach import views, views_pages, views_voice

urlpatterns = [
    path("", views_pages.outreach_overview, name="outreach-overview"),
    path("history/", views_pages.history, name="outreach-history"),
    path("kannel/dlr", views.kannel_delivery_report, name="kannel-dlr"),
    path(
        "voice/prompts/<int:plan_id>/<str:language>/<str:name>.wav",
        views_voice.prompt_audio,
        name="voice-prompt",
    ),
    path(
        "voice/twilio/<int:attempt_id>/answer",
        views_voice.twilio_answer,
        name="voice-twilio-answer",
    ),
    path(
        "voice/twilio/<int:attempt_id>/gather",
        views_voice.twilio_gather,
        name="voice-twilio-gather",
    ),
    path(
        "voice/twilio/<int:attempt_id>/status",
        views_voice.twilio_status,
        name="voice-twilio-status",
    ),
]
