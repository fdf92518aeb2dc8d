from django.urls import path

from cfmp.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("rankings/", views.rankings, name="rankings"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/export.<str:fmt>", views.download, name="download"),
]
