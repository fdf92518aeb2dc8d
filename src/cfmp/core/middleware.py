"""Cache-Control: no-store on every page and download a signed-in user receives.

Those pages are where citizens' numbers, names and complaints are shown and exported; a
shared office computer, a browser's back button or a proxy must keep none of them. Static
files (served by WhiteNoise before this runs) and the public pages keep their caching."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
