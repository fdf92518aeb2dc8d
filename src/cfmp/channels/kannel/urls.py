"""Kannel's callbacks, at the paths its configuration names (`cfmp kannel-config`)."""

from django.urls import path

from cfmp.channels.kannel import views

urlpatterns = [
    path("outreach/kannel/dlr", views.kannel_delivery_report, name="kannel-dlr"),
    path("feedback/kannel/inbound", views.kannel_inbound, name="kannel-inbound"),
]
