from django.urls import path

from cfmp.kiosk import api, views

urlpatterns = [
    path("", views.kiosk_app, name="kiosk-app"),
    path("manifest.webmanifest", views.manifest, name="kiosk-manifest"),
    path("sw.js", views.service_worker, name="kiosk-sw"),
    path("api/enrol", api.EnrolView.as_view(), name="kiosk-enrol"),
    path("api/config", api.ConfigView.as_view(), name="kiosk-config"),
    path("api/rotate", api.RotateView.as_view(), name="kiosk-rotate"),
    path("api/heartbeat", api.HeartbeatView.as_view(), name="kiosk-heartbeat"),
    path("api/visits", api.VisitsView.as_view(), name="kiosk-visits"),
]
