"""The kiosk's page: one installable, offline-capable page (PWA) that the device keeps
open full-screen. It holds the device's key and the visits not yet delivered itself, and
talks to the device API (`cfmp.kiosk.api`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cfmp.kiosk.models import Rating


@require_GET
def kiosk_app(request: HttpRequest) -> HttpResponse:
    return render(request, "kiosk/app.html", {"ratings": Rating.values})


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "kiosk/manifest.webmanifest",
                  content_type="application/manifest+json")  # fmt: skip


@never_cache  # a new release's shell must reach every kiosk
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    return render(request, "kiosk/sw.js", content_type="application/javascript")
