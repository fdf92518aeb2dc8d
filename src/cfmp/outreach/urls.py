from django.urls import path

from cfmp.outreach import views

urlpatterns = [
    path("kannel/dlr", views.kannel_delivery_report, name="kannel-dlr"),
]
