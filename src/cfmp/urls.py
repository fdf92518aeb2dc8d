from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from cfmp.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(".well-known/security.txt", core_views.security_txt, name="security-txt"),
    path("accounts/", include("cfmp.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("cfmp.registry.urls")),
    path("transactions/", include("cfmp.intake.urls")),
    path("api/v1/", include("cfmp.intake.urls_api")),
    # Gateways' callbacks, each channel type's, at the paths gateways are configured with.
    path("", include("cfmp.channels.urls")),
    path("outreach/", include("cfmp.outreach.urls")),
    path("feedback/", include("cfmp.feedback.urls")),
    path("cases/", include("cfmp.cases.urls")),
    path("reports/", include("cfmp.reports.urls")),
    path("kiosk/", include("cfmp.kiosk.urls")),
    path("public/", include("cfmp.public.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The API's documentation pages: their scripts are files (the split view), but Swagger UI
    # and Redoc style themselves inline, and Redoc searches in a worker it builds itself.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    path("admin/", admin.site.urls),
]

handler404 = "cfmp.core.views.not_found"  # issue 18: JSON under the APIs
