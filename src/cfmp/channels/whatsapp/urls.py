from django.urls import path

from cfmp.channels.whatsapp import views

urlpatterns = [path("feedback/whatsapp/webhook", views.webhook, name="whatsapp-webhook")]
