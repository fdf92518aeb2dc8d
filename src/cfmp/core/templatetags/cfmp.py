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


@register.simple_tag
def form_token() -> str:
    """`{% form_token %}`: a fresh token for a form that writes (see cfmp.core.services)."""
    import uuid

    from django.utils.html import format_html

    return format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4())
