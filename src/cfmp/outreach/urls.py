from django.urls import path

from cfmp.outreach import views, views_pages

urlpatterns = [
    path("", views_pages.outreach_overview, name="outreach-overview"),
    path("history/", views_pages.history, name="outreach-history"),
    path("kannel/dlr", views.kannel_delivery_report, name="kannel-dlr"),
]
