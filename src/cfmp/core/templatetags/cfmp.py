from typing import Any

from django import template

register = template.Library()


@register.filter
def share(signals: Any, field: str) -> float:
    """`{{ s|share:'landline' }}`: the field's count as a share of the total."""
    return float(signals.share(getattr(signals, field)))


@register.filter
def percent(value: float) -> str:
    return f"{100 * value:.1f}%"
