from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A share as a percentage with one decimal: 0.1234 → "12.3 %"."""
    if value is None:
        return ""
    return f"{value * 100:.1f} %"


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key) if mapping else None
