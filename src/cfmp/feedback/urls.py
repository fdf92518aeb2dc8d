from django.urls import path

from cfmp.feedback import views_calls, views_pages

# Gateways' inbound callbacks under /feedback/ are each channel type's own
# (cfmp.channels.urls).
urlpatterns = [
    path("", views_pages.feedback_list, name="feedback-list"),
    path("review/", views_pages.review, name="feedback-review"),
    path("review/<int:pk>/", views_pages.decide, name="feedback-review-decide"),
    path("calls/", views_calls.console, name="call-console"),
    path("calls/next", views_calls.take_next, name="call-next"),
    path("calls/<int:pk>/", views_calls.call_detail, name="call-detail"),
    path("calls/direct/", views_calls.direct_calls, name="direct-calls"),
]
