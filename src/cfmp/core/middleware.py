"""Bad input answered at the door, for every page and endpoint (issue 18):
- a query-string value with control characters (NUL breaks PostgreSQL) or longer than any
  value CFMP reads is refused before a view runs (but for views marked `reads_raw_query`,
  which read the bytes themselves);
- a view that raises `cfmp.core.bounds.OutOfBounds` answers 400 naming the field, so views
  read their parameters through `bounds` and never catch anything themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from cfmp.core.bounds import OutOfBounds, clean_text

MAX_QUERY_VALUE = 1000  # characters: longer than any search, code, date or number


def refusal(problem: OutOfBounds) -> HttpResponse:
    return HttpResponseBadRequest(
        f"{problem.field}: {problem.message}", content_type="text/plain; charset=utf-8"
    )


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
        except OutOfBounds as problem:
            return refusal(problem)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OutOfBounds):
            return refusal(exception)
        return None
