from django.urls import path

from cfmp.feedback import views, views_calls, views_pages

urlpatterns = [
    path("kannel/inbound", views.kannel_inbound, name="kannel-inbound"),
    path("webhook/sms", views.json_inbound, name="sms-webhook"),
    path("", views_pages.feedback_list, name="feedback-list"),
    path("review/", views_pages.review, name="feedback-review"),
    path("review/<int:pk>/", views_pages.decide, name="feedback-review-decide"),
    path("calls/", views_calls.console, name="call-console"),
    path("calls/next", views_calls.take_next, name="call-next"),
    path("calls/<int:pk>/", views_calls.call_detail, name="call-detail"),
    path("calls/direct/", views_calls.direct_calls, name="direct-calls"),
]
