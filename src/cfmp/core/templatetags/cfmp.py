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


_DATES = None


@register.filter
def ltr_dates(value: Any) -> str:
    """Dates and times in a text (`2026-11-02`, `2026-11-02 10:00`, `10:00–11:00`) isolated
    left-to-right, so an Urdu page does not scramble them (issue 22)."""
    import re

    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    global _DATES
    if _DATES is None:
        _DATES = re.compile(r"\d{4}-\d{2}(?:-\d{2})?(?:[ T]\d{2}(?::\d{2})?)?(?:–\d{2}:\d{2})?")
    text = escape(str(value))
    return mark_safe(_DATES.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', text))
