"""Charts drawn on the server as SVG (docs/decisions/0012-charts-and-map.md): the same
markup in the page and in the PDF, no script (the Content-Security-Policy allows none
inline), every value written beside its bar or point (nothing needs hovering), and mirrored
for Urdu — bars grow from the right, time runs right to left, the value axis stands on the
right. Only SVG presentation attributes are used: inline `style` is refused by the CSP.

A chart is a title, axes with their units, a legend where there is more than one series,
and a <title>/<desc> for screen readers; the table beside it on every page holds the same
figures."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
FONT = "system-ui, 'Noto Sans', 'Noto Naskh Arabic', sans-serif"
INK, MUTED, GRID, ACCENT = "#1d2733", "#5b6675", "#d9dee5", "#0b6e4f"
# Category colours distinguishable by colour-blind readers (Okabe–Ito), each with a label.
PALETTE = ("#b3261e", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # in the chart's unit (a rate already ×100)
    shown: str  # the value as written beside the bar
    href: str = ""


@dataclass(frozen=True)
class Point:
    label: str  # the period, as written under the axis
    value: float | None  # None: no figure (suppressed, or nothing to divide by): a gap
    shown: str


@dataclass(frozen=True)
class Stack:
    label: str
    parts: tuple[int, ...]  # one per series


def nice_top(peak: float) -> tuple[float, float]:
    """The axis's end and its step: a round number at or above the peak, in 4-5 steps."""
    if peak <= 0:
        return 1.0, 0.25
    raw = peak / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(peak / step - 1e-9), step


def _tick(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value:,.0f}"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}"{extra}>{escape(text)}</text>'
    )


def _svg(
    height: float, title: str, desc: str, body: list[str], *, rtl: bool, kind: str
) -> SafeString:
    if rtl:
        body = [mirror_anchors(part) for part in body]
    ident = "chart-" + hashlib.blake2s(f"{kind}{title}".encode(), digest_size=4).hexdigest()
    return mark_safe(
        f'<svg class="chart chart-{kind}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'font-family="{FONT}" direction="{"rtl" if rtl else "ltr"}" '
        f'aria-labelledby="{ident}-t {ident}-d" data-direction="{"rtl" if rtl else "ltr"}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


ANCHOR = re.compile(r'text-anchor="(start|end)"')


def mirror_anchors(markup: str) -> str:
    """Under direction="rtl" an SVG text's "start" is its right end: the anchors this module
    writes by where the text stands on the page are swapped, so it stays there."""
    swap = {"start": "end", "end": "start"}
    return ANCHOR.sub(lambda m: f'text-anchor="{swap[m.group(1)]}"', markup)


def _heading(title: str, *, rtl: bool) -> str:
    return _text(
        WIDTH - 8 if rtl else 8,
        22,
        title,
        anchor="end" if rtl else "start",
        size=15,
        weight="bold",
        extra=' class="chart-heading"',
    )


def _category_axis_title(text: str, *, y: float, rtl: bool) -> str:
    """The category axis's name, at the start of the line (the right in Urdu)."""
    return _text(
        WIDTH - 8 if rtl else 8,
        y,
        text,
        anchor="end" if rtl else "start",
        size=12,
        fill=MUTED,
        extra=' class="axis-title category-axis"',
    )


def _value_axis(
    axis: str,
    *,
    root: float,
    grow: int,
    plot: float,
    top: float,
    bottom: float,
    peak: float,
    step: float,
) -> list[str]:
    """The value axis of a horizontal chart: a grid line and a round tick at each step from
    the root (zero) in the direction bars grow, and the axis's name and unit below."""
    parts = ['<g class="axis value-axis">']
    ticks = round(peak / step)
    for n in range(ticks + 1):
        x = root + grow * plot * n / ticks
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>'
        )
        parts.append(
            _text(x, bottom + 16, _tick(step * n), anchor="middle", size=11, fill=MUTED,
                  extra=' class="tick"')
        )  # fmt: skip
    parts.append("</g>")
    parts.append(
        _text(root + grow * plot / 2, bottom + 36, axis, anchor="middle", size=12, fill=MUTED,
              extra=' class="axis-title value-axis-title"')
    )  # fmt: skip
    return parts


def bar_chart(
    bars: Sequence[Bar], *, title: str, axis: str, category_axis: str, rtl: bool = False
) -> SafeString:
    """Horizontal bars, largest first (a ranking): the category's name at the bar's root,
    the value written at its tip, a value axis with round ticks and its unit below."""
    label_width, row, top = 200, 26, 62
    plot = WIDTH - label_width - 80
    peak, step = nice_top(max((bar.value for bar in bars), default=0))
    height = top + row * len(bars) + 48
    # The plot's root (zero) and the direction bars grow in: rightwards, or leftwards in Urdu.
    root = WIDTH - label_width - 12 if rtl else label_width + 12
    grow = -1 if rtl else 1
    body = [_heading(title, rtl=rtl)]
    body.append(_category_axis_title(category_axis, y=46, rtl=rtl))
    bottom = top + row * len(bars)
    body += _value_axis(
        axis, root=root, grow=grow, plot=plot, top=top, bottom=bottom, peak=peak, step=step
    )
    body.append(f'<line x1="{root}" y1="{top - 4}" x2="{root}" y2="{bottom}" stroke="{INK}"/>')
    for n, bar in enumerate(bars):
        y = top + row * n
        length = plot * bar.value / peak if peak else 0
        x = root if grow > 0 else root - length
        name = _text(
            root - grow * 8,
            y + row / 2 + 4,
            _clip(bar.label, 30),
            anchor="end" if grow > 0 else "start",
            extra=' class="bar-label"',
        )
        if bar.href:
            name = f'<a href="{escape(bar.href)}">{name}</a>'
        body.append(
            f'<g class="bar"><title>{escape(bar.label)}: {escape(bar.shown)}</title>{name}'
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(length, 0.5):.1f}" height="{row - 8}" '
            f'fill="{ACCENT}" data-value="{bar.value:g}"/>'
            + _text(
                root + grow * (length + 5),
                y + row / 2 + 4,
                bar.shown,
                anchor="start" if grow > 0 else "end",
                size=12,
                weight="bold",
                extra=' class="value-label"',
            )
            + "</g>"
        )
    desc = "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    return _svg(height, title, desc, body, rtl=rtl, kind="bars")


def stacked_chart(
    stacks: Sequence[Stack],
    *,
    series: Sequence[str],
    title: str,
    axis: str,
    category_axis: str,
    rtl: bool = False,
) -> SafeString:
    """Horizontal bars split by category (complaints by kind), a legend naming each colour,
    each part's count written inside it when it fits and the row's total at its tip."""
    label_width, row, top = 200, 26, 84
    plot = WIDTH - label_width - 80
    peak, step = nice_top(max((sum(s.parts) for s in stacks), default=0))
    bottom = top + row * len(stacks)
    height = bottom + 48
    root: float = WIDTH - label_width - 12 if rtl else label_width + 12
    grow = -1 if rtl else 1
    body = [_heading(title, rtl=rtl)]
    # The legend, in reading order.
    body.append('<g class="legend">')
    x: float = WIDTH - 8 if rtl else 8
    for n, name in enumerate(series):
        width = 26 + 7.5 * len(name)
        box = x - 12 if rtl else x
        body.append(
            f'<g class="legend-item"><rect x="{box:.1f}" y="36" width="12" height="12" '
            f'fill="{PALETTE[n % len(PALETTE)]}"/>'
            + _text(x - 16 if rtl else x + 16, 46, name, anchor="end" if rtl else "start", size=12)
            + "</g>"
        )
        x += -width if rtl else width
    body.append("</g>")
    body.append(_category_axis_title(category_axis, y=70, rtl=rtl))
    body += _value_axis(
        axis, root=root, grow=grow, plot=plot, top=top, bottom=bottom, peak=peak, step=step
    )
    for n, stack in enumerate(stacks):
        y = top + row * n
        total = sum(stack.parts)
        described = ", ".join(
            f"{name} {part}" for name, part in zip(series, stack.parts, strict=True) if part
        )
        body.append(
            f'<g class="bar"><title>{escape(stack.label)}: {total} ({escape(described)})</title>'
        )
        body.append(
            _text(
                root - grow * 8,
                y + row / 2 + 4,
                _clip(stack.label, 30),
                anchor="end" if grow > 0 else "start",
                extra=' class="bar-label"',
            )
        )
        done = 0.0
        for m, part in enumerate(stack.parts):
            if not part:
                continue
            length = plot * part / peak
            x = root + grow * done if grow > 0 else root - done - length
            body.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{PALETTE[m % len(PALETTE)]}" data-value="{part}"/>'
            )
            if length > 9 * len(str(part)) + 4:
                body.append(
                    _text(
                        x + length / 2,
                        y + row / 2 + 4,
                        str(part),
                        anchor="middle",
                        size=11,
                        fill="#fff",
                        weight="bold",
                    )
                )
            done += length
        body.append(
            _text(
                root + grow * (done + 5),
                y + row / 2 + 4,
                f"{total:,}",
                anchor="start" if grow > 0 else "end",
                weight="bold",
                extra=' class="value-label"',
            )
            + "</g>"
        )
    desc = "; ".join(
        f"{s.label}: " + ", ".join(f"{name} {p}" for name, p in zip(series, s.parts, strict=True))
        for s in stacks
    )
    return _svg(height, title, desc, body, rtl=rtl, kind="stacked")


def line_chart(
    points: Sequence[Point], *, title: str, axis: str, time_axis: str, rtl: bool = False
) -> SafeString:
    """A measure over successive periods, oldest first in reading order (left to right, or
    right to left in Urdu); each point's value written above it; a missing figure is a gap
    in the line, marked "—" on the axis."""
    top, height = 62, 300
    margin_value, margin_other = 64, 24
    bottom = height - 64
    left = margin_other if rtl else margin_value
    right = WIDTH - (margin_value if rtl else margin_other)
    peak, step = nice_top(max((p.value for p in points if p.value is not None), default=0))
    count = max(len(points), 1)
    span = right - left

    def x_of(n: int) -> float:
        offset = span * (n + 0.5) / count
        return right - offset if rtl else left + offset

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / peak

    body = [_heading(title, rtl=rtl)]
    body.append(
        _text(
            right if rtl else left,
            46,
            axis,
            anchor="end" if rtl else "start",
            size=12,
            fill=MUTED,
            extra=' class="axis-title value-axis-title"',
        )
    )
    body.append('<g class="axis value-axis">')
    ticks = round(peak / step)
    for n in range(ticks + 1):
        y = y_of(step * n)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            _text(
                right + 6 if rtl else left - 6,
                y + 4,
                _tick(step * n),
                anchor="start" if rtl else "end",
                size=11,
                fill=MUTED,
                extra=' class="tick"',
            )
        )
    body.append("</g>")
    body.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    body.append('<g class="axis time-axis">')
    every = max(1, math.ceil(count / 12))
    for n, point in enumerate(points):
        if n % every == 0 or n == count - 1:
            body.append(
                _text(
                    x_of(n),
                    bottom + 18,
                    point.label,
                    anchor="middle",
                    size=11,
                    fill=MUTED,
                    extra=' class="tick"',
                )
            )
    body.append("</g>")
    body.append(
        _text(
            (left + right) / 2,
            bottom + 44,
            time_axis,
            anchor="middle",
            size=12,
            fill=MUTED,
            extra=' class="axis-title time-axis-title"',
        )
    )
    runs: list[list[str]] = [[]]
    for n, point in enumerate(points):
        if point.value is None:
            runs.append([])
        else:
            runs[-1].append(f"{x_of(n):.1f},{y_of(point.value):.1f}")
    for run in runs:
        if len(run) > 1:
            body.append(
                f'<polyline class="line" points="{" ".join(run)}" fill="none" '
                f'stroke="{ACCENT}" stroke-width="2.5"/>'
            )
    for n, point in enumerate(points):
        x = x_of(n)
        if point.value is None:
            body.append(
                '<g class="point missing">'
                f"<title>{escape(point.label)}: {escape(point.shown)}</title>"
                + _text(x, bottom - 6, "—", anchor="middle", fill=MUTED)
                + "</g>"
            )
            continue
        y = y_of(point.value)
        label = (
            _text(
                x,
                y - 9,
                point.shown,
                anchor="middle",
                size=11,
                weight="bold",
                extra=' class="value-label"',
            )
            if count <= 16 or n % every == 0
            else ""
        )
        body.append(
            f'<g class="point"><title>{escape(point.label)}: {escape(point.shown)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT}" '
            f'data-value="{point.value:g}"/>'
            f"{label}</g>"
        )
    desc = "; ".join(f"{p.label}: {p.shown}" for p in points)
    return _svg(height, title, desc, body, rtl=rtl, kind="line")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
