from django.urls import path, re_path

from cfmp.public import views

app_name = "public"
LANG = r"(?P<lang>en|ur)"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^{LANG}/$", views.index, name="index"),
    re_path(rf"^{LANG}/office/(?P<code>[^/]+)/$", views.office, name="office"),
    re_path(rf"^{LANG}/service/(?P<code>[-\w]+)/$", views.service, name="service"),
    re_path(rf"^{LANG}/rankings/$", views.rankings, name="rankings"),
    re_path(rf"^{LANG}/data/$", views.dictionary, name="data"),
    re_path(rf"^{LANG}/widget/(?P<code>[^/]+)/$", views.widget, name="widget"),
    re_path(
        r"^data/(?P<name>scorecards|trends)\.(?P<fmt>csv|json)$", views.download, name="download"
    ),
]
