from django.urls import path

from cfmp.outreach import views, views_pages

# Gateways' callbacks under /outreach/ (Kannel's reports, the voice provider's) are each
# channel type's own (cfmp.channels.urls).
urlpatterns = [
    path("", views_pages.outreach_overview, name="outreach-overview"),
    path("history/", views_pages.history, name="outreach-history"),
    path(
        "voice/prompts/<int:plan_id>/<str:language>/<str:name>.wav",
        views.prompt_audio,
        name="voice-prompt",
    ),
]
