"""Bad input answered at the door, for every page and endpoint (issue 18):
- a query-string value with control characters (NUL breaks PostgreSQL) or longer than any
  value CFMP reads is refused before a view runs (but for views marked `reads_raw_query`,
  which read the bytes themselves); so is an admin date drill-down outside the calendar;
- a view that raises `cfmp.core.bounds.OutOfBounds` answers 400 naming the field, so views
  read their parameters through `bounds` and never catch anything themselves.

And (issue 19) Cache-Control: no-store on every page and download a signed-in user
receives: those pages are where citizens' numbers, names and complaints are shown and
exported; a shared office computer, a browser's back button or a proxy must keep none of
them. Static files (served by WhiteNoise before this runs) keep their caching."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from cfmp.core.bounds import OutOfBounds, bounded_int, clean_text

MAX_QUERY_VALUE = 1000  # characters: longer than any search, code, date or number


def refusal(problem: OutOfBounds) -> HttpResponse:
    return HttpResponseBadRequest(
        f"{problem.field}: {problem.message}", content_type="text/plain; charset=utf-8"
    )


def _check_date_part(name: str, values: list[str]) -> None:
    """The admin's date drill-down (`received_at__year=`, `__month=`, `__day=`): within the
    programme's years and the calendar, or the admin computes a day past the year 9999."""
    part = name.rpartition("__")[2]
    if part not in DATE_PARTS or "__" not in name:
        return
    low, high = DATE_PARTS[part]()
    for value in values:
        bounded_int(value, field=name, minimum=low, maximum=high)


DATE_PARTS = {
    "year": lambda: (settings.CFMP_EPOCH.year, timezone.localdate().year + 1),
    "month": lambda: (1, 12),
    "day": lambda: (1, 31),
}


class BoundsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "reads_raw_query", False):
            return None  # reads its bytes itself (Kannel's UTF-16 text carries NULs)
        try:
            for name, values in request.GET.lists():
                field = clean_text(name, field="query", max_length=100, one_line=True)
                for value in values:
                    clean_text(value, field=field, max_length=MAX_QUERY_VALUE, one_line=True)
                _check_date_part(field, values)
        except OutOfBounds as problem:
            return refusal(problem)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OutOfBounds):
            return refusal(exception)
        return None


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
