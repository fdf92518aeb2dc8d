from django.urls import path

from cfmp.feedback import views, views_pages

urlpatterns = [
    path("kannel/inbound", views.kannel_inbound, name="kannel-inbound"),
    path("webhook/sms", views.json_inbound, name="sms-webhook"),
    path("", views_pages.feedback_list, name="feedback-list"),
    path("review/", views_pages.review, name="feedback-review"),
    path("review/<int:pk>/", views_pages.decide, name="feedback-review-decide"),
]
