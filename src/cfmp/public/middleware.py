"""The public pages served from the cache, before the rest of the stack runs.

Placed right after WhiteNoise: a GET or HEAD under /public/ whose response is in the cache
is answered from it at once (no session, authentication, or database), which is what lets
the one public page take a crowd (bench/public.py, docs/performance.md). On a miss the view
runs through the whole stack and a response it marked public (`mark_public`) is stored:
status, headers and body, keyed by the path alone (query strings are ignored by the public
views and never make a new key, so no one can fill the cache).

A public response carries `Cache-Control: public, max-age=…`, never a cookie and never a
`Vary` (its content depends on the path only: the language is in the path), even when a
signed-in user happens to open it: the pages show nothing about the reader."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PREFIX = "/public/"
KEY = "cfmp:public:page:"
# Headers that are the reader's own, or vary by reader: never stored or sent from the cache.
DROPPED = ("Vary", "Set-Cookie", "Cache-Control", "Expires")


def mark_public(response: HttpResponse) -> HttpResponse:
    response.cfmp_public = True  # type: ignore[attr-defined]
    return response


def _from_cache(stored: tuple[int, list[tuple[str, str]], bytes], head: bool) -> HttpResponse:
    status, headers, body = stored
    response = HttpResponse(b"" if head else body, status=status)
    for name, value in headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(body))
    return response


def public_headers(response: HttpResponse) -> None:
    for name in DROPPED:
        if name in response.headers:
            del response.headers[name]
    response.cookies.clear()
    patch_cache_control(response, public=True, max_age=settings.CFMP_PUBLIC_CACHE_SECONDS)


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PREFIX):
            return self.get_response(request)
        key = KEY + request.path
        stored = cache.get(key)
        if stored is not None:
            return _from_cache(stored, request.method == "HEAD")
        response = self.get_response(request)
        if getattr(response, "cfmp_public", False) and response.status_code == 200:
            public_headers(response)
            if not response.streaming:
                headers = [
                    (name, value)
                    for name, value in response.headers.items()
                    if name != "Content-Length"
                ]
                cache.set(
                    key,
                    (response.status_code, headers, response.content),
                    settings.CFMP_PUBLIC_CACHE_SECONDS,
                )
        return response
