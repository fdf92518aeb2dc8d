from django.urls import path

from cfmp.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("rankings/", views.rankings, name="rankings"),
    path("alerts/", views.alert_list, name="alerts"),
    path("who-is-heard/", views.who_is_heard, name="who-is-heard"),
    path("command-centre/", views.command_centre_page, name="command-centre"),
    path("command-centre/live", views.command_centre_live, name="command-centre-live"),
    path("alerts/<int:pk>/acknowledge", views.acknowledge, name="acknowledge"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/export.<str:fmt>", views.download, name="download"),
]
