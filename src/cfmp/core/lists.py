"""Lists people work in (issue 22): paged on the server, searched (`q`), filtered by their
natural fields, sorted by column, exported as they are shown — every choice kept in the URL,
so page 2, a bookmark and the export all read the same selection.

Filters are django-filter FilterSets (validated: a value that is not one of the choices is
refused, never passed to the database); this module adds the search, the sort (only by the
columns a list declares, `?sort=office` or `?sort=-office`), the pager and the export
(CSV/XLSX through `cfmp.core.spreadsheets`, so no cell runs as a formula). See
docs/decisions/0012-lists.md.

Readers below the identity roles see complaints' times as periods (`cfmp.feedback.anonymity`):
lists of complaints give those readers only sorts and filters no finer than a month, and
break ties with `SCRAMBLE` (stable, unrelated to the order of arrival) rather than by id."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfmp.core.spreadsheets import append_text_safe, safe_row

PER_PAGE = 50
# An export is the list as filtered, at most this many rows (a larger one: narrow the filters).
EXPORT_LIMIT = 50_000
EXPORT_FORMATS = ("csv", "xlsx")
# A tie-breaker that keeps pages stable but says nothing of which row came first.
SCRAMBLE = Mod(F("id") * 7919, 10007)


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with the words search `q` over `search_fields` (each `icontains`)."""

    search_fields: Sequence[str] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()[:5]
        for word in words:
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        return queryset


def month_filter(field: str, *, label: Any, lookup: str) -> django_filters.CharFilter:
    """A `YYYY-MM` filter on a time field, inclusive of the whole month (local time)."""

    def apply(queryset: QuerySet, name: str, value: str) -> QuerySet:
        import datetime as dt

        try:
            first = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            return queryset.none()
        if lookup == "lt":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        return queryset.filter(**{f"{field}__{'gte' if lookup == 'gte' else 'lt'}": start})

    return django_filters.CharFilter(
        method=lambda qs, name, value: apply(qs, name, value),
        label=label,
        widget=django_filters.widgets.forms.TextInput(attrs={"type": "month"}),
    )


def date_filter(field: str, *, label: Any, lookup: str) -> django_filters.DateFilter:
    """A day filter on a time field, local time, `to` inclusive of its day."""
    import datetime as dt

    def apply(queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        if lookup == "lt":
            value = value + dt.timedelta(days=1)
        moment = timezone.make_aware(dt.datetime.combine(value, dt.time()))
        return queryset.filter(**{f"{field}__{'gte' if lookup == 'gte' else 'lt'}": moment})

    return django_filters.DateFilter(
        method=lambda qs, name, value: apply(qs, name, value),
        label=label,
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )


class _NamedChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "shown_name", obj))


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of registry rows (offices, services, districts...) by code, each shown by
    its name in the page's language."""

    field_class = _NamedChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    order_by: tuple[str | Any, ...] = ()  # empty: not sortable

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


class Listing:
    """One request's view of a list: its filters (a bound FilterSet), sort, page, and the
    querystrings to reach the other pages and sorts with everything else kept."""

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        filterset: type[django_filters.FilterSet],
        columns: Sequence[Column],
        default_sort: str,
        tie: tuple[Any, ...] = ("-pk",),
        per_page: int = PER_PAGE,
        filter_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.columns = list(columns)
        self.filters = filterset(
            request.GET or None, queryset=queryset, request=request, **(filter_kwargs or {})
        )
        self.valid = self.filters.is_bound is False or self.filters.is_valid()
        filtered = self.filters.qs if self.valid else queryset.none()
        sortable = {c.key: c for c in self.columns if c.sortable}
        sort = request.GET.get("sort", default_sort)
        if sort.lstrip("-") not in sortable:
            sort = default_sort
        self.sort = sort
        column = sortable[sort.lstrip("-")]
        descending = sort.startswith("-")
        order = [_direction(field, descending) for field in column.order_by]
        self.queryset = filtered.order_by(*order, *tie)
        self.per_page = per_page

    def page(self) -> Page:
        """The page asked for. Its rows are found in two steps: the page's ids (sorted and
        offset with only the joins the sort needs), then those rows with everything the
        page shows; deep pages of long lists stay fast (issue 22, bench/lists.py)."""
        ids = self.queryset.values_list("pk", flat=True)
        page = Paginator(ids, self.per_page).get_page(self.request.GET.get("page"))
        wanted = list(page.object_list)
        found = self.queryset.order_by().in_bulk(wanted)
        page.object_list = [found[pk] for pk in wanted if pk in found]
        return page

    @property
    def export_format(self) -> str | None:
        fmt = self.request.GET.get("export", "")
        return fmt if fmt in EXPORT_FORMATS else None

    def headers(self) -> list[dict[str, Any]]:
        """Each column's header: its label and, when sortable, the link that sorts by it (the
        same column again turns the order round), with the current direction."""
        heads = []
        for column in self.columns:
            head: dict[str, Any] = {"label": column.label, "key": column.key}
            if column.sortable:
                current = self.sort.lstrip("-") == column.key
                descending = self.sort.startswith("-")
                target = f"{'' if current and descending else '-'}{column.key}"
                if not current:
                    target = column.key
                head["url"] = self.querystring(sort=target, page=None)
                head["aria"] = ("descending" if descending else "ascending") if current else "none"
            heads.append(head)
        return heads

    def querystring(self, **changes: Any) -> str:
        query = self.request.GET.copy()
        query.pop("export", None)
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = str(value)
        return "?" + query.urlencode()

    def export_links(self) -> list[tuple[str, str]]:
        return [(fmt.upper(), self.querystring(export=fmt, page=None)) for fmt in EXPORT_FORMATS]


def _direction(field: Any, descending: bool) -> Any:
    if isinstance(field, str):
        if field.startswith("-"):
            return field[1:] if descending else field
        return f"-{field}" if descending else field
    return field.desc() if descending else field.asc()


def export_response(
    *, name: str, fmt: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The list's rows as a CSV or XLSX file, every text cell neutralised."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{name}-{stamp}.{fmt}"
    heads = [str(h) for h in headers]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(safe_row(heads))
        for row in rows:
            writer.writerow(safe_row([_cell(v) for v in row]))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=False)
        sheet = book.active
        append_text_safe(sheet, heads)
        for row in rows:
            append_text_safe(sheet, [_cell(v) for v in row])
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def export_rows(queryset: QuerySet, convert: Callable[[list[Any]], Iterable[Sequence[Any]]]):
    """The export's rows: the listing's queryset up to EXPORT_LIMIT, converted in chunks
    (a converter may read more per chunk, e.g. the anonymity rule's registers)."""
    items = list(queryset[:EXPORT_LIMIT])
    for start in range(0, len(items), 2000):
        yield from convert(items[start : start + 2000])
