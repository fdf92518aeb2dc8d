from django.urls import path

from cfmp.channels.webhook import views

urlpatterns = [path("feedback/webhook/sms", views.json_inbound, name="sms-webhook")]
