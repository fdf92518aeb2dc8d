from django.urls import path

from cfmp.feedback import views

urlpatterns = [
    path("kannel/inbound", views.kannel_inbound, name="kannel-inbound"),
    path("webhook/sms", views.json_inbound, name="sms-webhook"),
]
