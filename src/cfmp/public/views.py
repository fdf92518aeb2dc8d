"""The public scorecards: no login, in English and Urdu (the language is in the path), drawn
from the day's figures (cfmp.public.selectors) and served from the cache
(cfmp.public.middleware). Nothing here reads the session or the user."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from cfmp.core.spreadsheets import safe_row
from cfmp.public.middleware import mark_public
from cfmp.public.selectors import SHARES, Card, Scorecards, scorecards

LANGUAGES = ("en", "ur")


def _page(request: HttpRequest, lang: str, template: str, context: dict[str, Any]) -> HttpResponse:
    if lang not in LANGUAGES:
        raise Http404
    data = context.setdefault("data", scorecards())
    with translation.override(lang):
        html = render_to_string(
            template,
            {
                **context,
                "lang": lang,
                "other": "ur" if lang == "en" else "en",
                "rtl": lang == "ur",
                "shares": SHARES,
                "licence": settings.CFMP_PUBLIC_LICENCE,
                "licence_url": settings.CFMP_PUBLIC_LICENCE_URL,
                "minimum": data.min_responses,
                "switch_url": _switch(request.path, lang),
                "request_base": settings.CFMP_PUBLIC_URL.rstrip("/"),
            },
        )
    response = HttpResponse(html)
    response.headers["Content-Language"] = lang
    return mark_public(response)


def _switch(path: str, lang: str) -> str:
    """The same page in the other language."""
    other = "ur" if lang == "en" else "en"
    prefix = f"/public/{lang}/"
    if path.startswith(prefix):
        return f"/public/{other}/" + path[len(prefix) :]
    return f"/public/{other}/"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "en", "public/index.html", {})


@require_safe
def index(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, lang, "public/index.html", {})


def _card(cards: Scorecards, kind: str, code: str) -> Card:
    card = cards.office(code) if kind == "office" else cards.service(code)
    if card is None:
        raise Http404
    return card


@require_safe
def office(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    data = scorecards()
    return _page(
        request, lang, "public/card.html", {"data": data, "card": _card(data, "office", code)}
    )


@require_safe
def service(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    data = scorecards()
    return _page(
        request, lang, "public/card.html", {"data": data, "card": _card(data, "service", code)}
    )


@require_safe
def rankings(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, lang, "public/rankings.html", {})


@require_safe
def dictionary(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, lang, "public/data.html", {"fields": FIELDS})


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.CFMP_PUBLIC_EMBED_ANCESTORS})  # type: ignore[arg-type]
def widget(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    data = scorecards()
    return _page(
        request, lang, "public/widget.html", {"data": data, "card": _card(data, "office", code)}
    )


# The open data's columns, for the CSV, the JSON and the data dictionary page.
FIELDS: list[tuple[str, str, str]] = [
    ("kind", "office or service", "دفتر یا خدمت"),
    ("code", "the office's or service's stable code", "دفتر یا خدمت کا مستقل کوڈ"),
    ("name", "name", "نام"),
    ("name_ur", "name in Urdu", "اردو میں نام"),
    ("department", "department", "محکمہ"),
    ("district", "district (offices only)", "ضلع (صرف دفاتر)"),
    ("period_start", "first day counted", "شمار کا پہلا دن"),
    (
        "period_end",
        "last day counted: the end of the last complete month",
        "شمار کا آخری دن: آخری مکمل مہینے کا اختتام",
    ),
    (
        "replies",
        "replies heard from citizens; empty when fewer than the minimum",
        "شہریوں کے موصول جوابات؛ کم از کم سے کم ہوں تو خالی",
    ),
    ("satisfied_share", "share of replies satisfied (0–1)", "مطمئن جوابات کا تناسب (0–1)"),
    (
        "satisfied_low, satisfied_high",
        "its 95 % Wilson score interval",
        "اس کا 95 فیصد ولسن وقفہ",
    ),
    ("bribe_share", "share of replies reporting a bribe", "رشوت کی شکایت والے جوابات کا تناسب"),
    ("bribe_low, bribe_high", "its 95 % Wilson score interval", "اس کا 95 فیصد ولسن وقفہ"),
    ("delay_share", "share of replies reporting a delay", "تاخیر کی شکایت والے جوابات کا تناسب"),
    ("delay_low, delay_high", "its 95 % Wilson score interval", "اس کا 95 فیصد ولسن وقفہ"),
    (
        "days_to_action",
        "median days from a case's opening to its first action, for cases opened in the period",
        "مدت میں کھلے کیسوں میں پہلی کارروائی تک دنوں کا وسطانیہ",
    ),
    ("cases_acted", "cases that median is drawn from", "وہ کیس جن سے یہ وسطانیہ نکلا"),
    (
        "redress_rate",
        "share of complainants who confirmed the problem was addressed: not yet measured",
        "شکایت کنندگان جنہوں نے مسئلہ حل ہونے کی تصدیق کی: ابھی پیمائش نہیں ہوئی",
    ),
    (
        "bribe_rank, complaints_rank",
        "position among published offices, worst first, by the interval's lower bound",
        "شائع شدہ دفاتر میں درجہ، بدترین پہلے، وقفے کی نچلی حد کے لحاظ سے",
    ),
    ("month", "a month of the trend (trends.csv)", "رجحان کا مہینہ (trends.csv)"),
]

COLUMNS = [
    "kind", "code", "name", "name_ur", "department", "department_ur", "district", "district_ur",
    "period_start", "period_end", "replies",
    "satisfied_share", "satisfied_low", "satisfied_high",
    "bribe_share", "bribe_low", "bribe_high",
    "delay_share", "delay_low", "delay_high",
    "days_to_action", "cases_acted", "redress_rate", "bribe_rank", "complaints_rank",
]  # fmt: skip
TREND_COLUMNS = [
    "code", "name", "month", "start", "end", "replies",
    "satisfied_share", "satisfied_low", "satisfied_high",
    "bribe_share", "bribe_low", "bribe_high",
    "delay_share", "delay_low", "delay_high",
]  # fmt: skip


def _share_cells(shares: dict) -> list[Any]:
    cells: list[Any] = []
    for key, _, _ in SHARES:
        share = shares.get(key)
        cells += (
            [round(share.rate, 4), round(share.low, 4), round(share.high, 4)]
            if share
            else ["", "", ""]
        )
    return cells


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(["" if cell is None else cell for cell in row]))
    return out.getvalue().encode("utf-8-sig")


def _scorecard_rows(data: Scorecards) -> list[list[Any]]:
    return [
        [
            card.kind, card.code, card.name, card.name_ur, card.department, card.department_ur,
            card.district, card.district_ur, data.start, data.end, card.replies,
            *_share_cells(card.shares), card.days_to_action, card.cases_acted, card.redress_rate,
            card.ranks.get("bribe"), card.ranks.get("complaints"),
        ]
        for card in [*data.offices, *data.services]
    ]  # fmt: skip


def _trend_rows(data: Scorecards) -> list[list[Any]]:
    return [
        [card.code, card.name, month.month, month.start, month.end, month.replies,
         *_share_cells(month.shares)]
        for card in data.offices
        for month in card.trend
    ]  # fmt: skip


def _about(data: Scorecards) -> dict[str, Any]:
    return {
        "title": "CFMP public scorecards",
        "licence": settings.CFMP_PUBLIC_LICENCE,
        "licence_url": settings.CFMP_PUBLIC_LICENCE_URL,
        "data_dictionary": settings.CFMP_PUBLIC_URL.rstrip("/") + "/public/en/data/",
        "period_start": data.start,
        "period_end": data.end,
        "computed_at": data.computed_at,
        "min_responses": data.min_responses,
        "min_cases": data.min_cases,
        "interval": "95 % Wilson score interval",
        "redress_rate": "not yet measured",
    }


@require_safe
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    data = scorecards()
    if (name, fmt) == ("scorecards", "json"):
        body = json.dumps({**_about(data), **data.as_dict()}, ensure_ascii=False, indent=1).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif (name, fmt) == ("scorecards", "csv"):
        body = _csv(COLUMNS, _scorecard_rows(data))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    elif (name, fmt) == ("trends", "csv"):
        body = _csv(TREND_COLUMNS, _trend_rows(data))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response.headers["Content-Disposition"] = f'attachment; filename="cfmp-{name}.{fmt}"'
    response.headers["Link"] = f'<{settings.CFMP_PUBLIC_LICENCE_URL}>; rel="license"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return mark_public(response)
