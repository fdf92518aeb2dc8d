"""A map of Punjab's 36 districts as an equal-area tile map, drawn on the server as SVG.

Each district is one square of the same size (a boundary map would make Lahore, where most
people live, a speck beside Bahawalpur's desert); the squares keep the districts' true
relative positions: each was placed from the coordinates of its headquarters town (latitude
to row, longitude to column, ties moved one square to the side that keeps its neighbours in
order). The layout is ours, written for CFMP (Apache-2.0 like the rest); no boundary data
from elsewhere is shipped. docs/decisions/0012-charts-and-map.md explains the choice.

Each square is named in an SVG <title> in the page's language and links to its drill-down;
its colour is the measure chosen, in five steps, with a legend; a district with no figure
(none, or suppressed) is grey and says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cfmp.reports.charts import mirror_anchors

# district code -> (column, row): west to east, north to south.
TILES: dict[str, tuple[int, int]] = {
    "attock": (4, 0), "rawalpindi": (5, 0),
    "chakwal": (5, 1), "jhelum": (6, 1),
    "mianwali": (3, 2), "khushab": (4, 2), "sargodha": (5, 2), "mandi-bahauddin": (6, 2),
    "gujrat": (7, 2), "sialkot": (8, 2),
    "bhakkar": (2, 3), "chiniot": (5, 3), "hafizabad": (6, 3), "gujranwala": (7, 3),
    "narowal": (8, 3),
    "layyah": (2, 4), "jhang": (4, 4), "faisalabad": (5, 4), "nankana-sahib": (6, 4),
    "sheikhupura": (7, 4), "lahore": (8, 4),
    "khanewal": (3, 5), "toba-tek-singh": (4, 5), "sahiwal": (5, 5), "okara": (6, 5),
    "kasur": (8, 5),
    "dera-ghazi-khan": (1, 6), "muzaffargarh": (2, 6), "multan": (3, 6), "vehari": (4, 6),
    "pakpattan": (5, 6),
    "rajanpur": (1, 7), "lodhran": (3, 7), "bahawalnagar": (5, 7),
    "rahim-yar-khan": (2, 8), "bahawalpur": (3, 8),
}  # fmt: skip
TILE_W, TILE_H, GAP, TOP = 84, 70, 4, 8
# Five steps from light to dark (ColorBrewer "Reds", colour-blind safe), and "no figure".
SHADES = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
NONE = "#e3e6ea"


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # in the page's language
    value: float | None  # None: no figure (nothing, or suppressed)
    shown: str  # the value as written in the square
    href: str = ""


def _lines(name: str) -> list[str]:
    """The name on one line, or two balanced ones if it is long."""
    words = name.split()
    if len(name) <= 11 or len(words) == 1:
        return [name]
    best = min(
        range(1, len(words)),
        key=lambda n: abs(len(" ".join(words[:n])) - len(" ".join(words[n:]))),
    )
    return [" ".join(words[:best]), " ".join(words[best:])]


def shade(value: float | None, peak: float) -> str:
    if value is None:
        return NONE
    if peak <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, int(len(SHADES) * value / peak))]


def district_map(
    places: list[Place],
    *,
    title: str,
    legend: str,
    no_figure: str,
    step_label: Callable[[float], str],
    rtl: bool = False,
) -> SafeString:
    """The map: `places` for the districts it knows (by code; any district of TILES not in
    `places` is drawn grey). Geography is not mirrored in Urdu; the title and legend are."""
    by_code = {place.code: place for place in places}
    start = "end" if rtl else "start"  # text's anchor at the reading side
    peak = max((p.value for p in places if p.value is not None), default=0)
    first = min(c for c, _ in TILES.values())
    columns = 1 + max(c for c, _ in TILES.values()) - first
    rows = 1 + max(r for _, r in TILES.values())
    width = columns * (TILE_W + GAP)
    map_top = TOP + 30
    height = map_top + rows * (TILE_H + GAP) + 40
    body = [
        f'<text x="{width - 4 if rtl else 4}" y="{TOP + 14}" text-anchor="{start}" '
        f'font-size="15" font-weight="bold" fill="#1d2733">{escape(title)}</text>'
    ]
    for code, (column, row) in TILES.items():
        place = by_code.get(code) or Place(code, code.replace("-", " ").title(), None, "")
        x, y = (column - first) * (TILE_W + GAP), map_top + row * (TILE_H + GAP)
        fill = shade(place.value, peak)
        value = "" if place.value is None else f"{place.value:g}"
        ink = "#ffffff" if fill in SHADES[3:] else "#1d2733"
        shown = place.shown if place.value is not None else no_figure
        lines = _lines(place.name)
        text = "".join(
            f'<text x="{x + TILE_W / 2:.0f}" y="{y + 20 + 14 * n}" text-anchor="middle" '
            f'font-size="11" fill="{ink}">{escape(line)}</text>'
            for n, line in enumerate(lines)
        )
        text += (
            f'<text x="{x + TILE_W / 2:.0f}" y="{y + TILE_H - 10}" text-anchor="middle" '
            f'font-size="12" font-weight="bold" fill="{ink}" class="value-label">'
            f"{escape(shown)}</text>"
        )
        tile = (
            f'<g class="district" data-code="{code}" data-value="{value}">'
            f"<title>{escape(place.name)}: {escape(shown)}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="6" fill="{fill}" '
            f'stroke="#ffffff"/>{text}</g>'
        )
        if place.href:
            # Named by the words the tile shows and its <title>; no aria-label, which would
            # differ from what a speech user sees and says (WCAG 2.5.3).
            tile = f'<a href="{escape(place.href)}">{tile}</a>'
        body.append(tile)
    # The legend: five steps, their lower bounds, and the grey of "no figure".
    legend_y = map_top + rows * (TILE_H + GAP) + 12
    items = [(SHADES[n], step_label(peak * n / len(SHADES))) for n in range(len(SHADES))]
    items.append((NONE, no_figure))
    body.append(f'<g class="legend"><title>{escape(legend)}</title>')
    x = width - 4 if rtl else 4
    label = escape(legend)
    body.append(
        f'<text x="{x}" y="{legend_y + 11}" text-anchor="{"end" if rtl else "start"}" '
        f'font-size="12" fill="#5b6675">{label}</text>'
    )
    x += -(8 * len(legend) + 16) if rtl else 8 * len(legend) + 16
    for colour, text in items:
        box = x - 14 if rtl else x
        body.append(
            f'<rect x="{box}" y="{legend_y}" width="14" height="14" fill="{colour}" '
            'stroke="#c0c6ce"/>'
            f'<text x="{x - 18 if rtl else x + 18}" y="{legend_y + 11}" text-anchor="{start}" '
            f'font-size="11" fill="#1d2733">{escape(text)}</text>'
        )
        x += -(28 + 7 * len(text)) if rtl else 28 + 7 * len(text)
    body.append("</g>")
    if rtl:
        body = [mirror_anchors(part) for part in body]
    return mark_safe(
        f'<svg class="district-map" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"font-family=\"system-ui, 'Noto Sans', 'Noto Naskh Arabic', sans-serif\" "
        f'direction="{"rtl" if rtl else "ltr"}" aria-label="{escape(title)}">'
        + "".join(body)
        + "</svg>"
    )
