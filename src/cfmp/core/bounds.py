"""The one place each kind of value from the open world is checked: dates and times, whole
numbers (amounts, durations, ids in a query string), free text and JSON bodies.

Every door — the transactions API, file imports, operator forms, SMS gateways, Twilio
callbacks, the kiosk API, report and command-centre query strings — reads its values through
these functions, so a value that would break a page, a rollup or a database write later is
refused at the door with a message naming the field (`OutOfBounds`), never stored.

Limits (issue 18):
- a moment is no earlier than the programme's epoch (`CFMP_EPOCH`, 2000-01-01) and no later
  than now plus a small skew (`FUTURE_SKEW`, clocks differ);
- a whole number is ASCII or any script's decimal digits, within the caller's bounds;
- text is NFC-normalised; NUL, other control characters and lone surrogates are refused
  (`strict`) or removed (a citizen's message: losing a character beats losing the report);
- JSON is at most `MAX_JSON_BYTES` and nested at most `MAX_JSON_DEPTH` deep.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

FUTURE_SKEW = dt.timedelta(hours=1)
MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 2_500_000  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, the body's own limit
# A signed 32-bit integer: every integer column on every database holds it.
MAX_INT = 2**31 - 1
# Rupees: a larger sum is no bribe a citizen reports (100 crore), and stays far inside MAX_INT.
MAX_AMOUNT = 1_000_000_000
# Control characters (C0, DEL, C1) except tab and the line breaks, and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class OutOfBounds(ValueError):
    """A value refused at the door; `field` names it for the caller's error message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


def too_early(day: dt.date) -> str:
    return _("is before %(day)s, earlier than CFMP accepts") % {"day": day.isoformat()}


def too_deep(levels: int) -> str:
    return _("nests deeper than %(n)s levels") % {"n": levels}


def epoch() -> dt.datetime:
    return dt.datetime.combine(settings.CFMP_EPOCH, dt.time.min, tzinfo=dt.UTC)


def check_moment(
    value: dt.datetime,
    *,
    field: str,
    now: dt.datetime | None = None,
    earliest: dt.datetime | None = None,
) -> dt.datetime:
    """`value` (aware) if it lies between the epoch (or `earliest`) and now plus the skew."""
    if timezone.is_naive(value):
        raise OutOfBounds(field, _("must carry its UTC offset"))
    earliest = earliest or epoch()
    latest = (now or timezone.now()) + FUTURE_SKEW
    if value < earliest:
        raise OutOfBounds(field, too_early(earliest.date()))
    if value > latest:
        raise OutOfBounds(field, _("is in the future"))
    return value


def parse_moment(
    value: Any,
    *,
    field: str,
    now: dt.datetime | None = None,
    earliest: dt.datetime | None = None,
) -> dt.datetime:
    """An ISO 8601 date and time with its UTC offset, within the window."""
    if not isinstance(value, str) or not value.strip():
        raise OutOfBounds(field, _("must be an ISO 8601 date and time with its UTC offset"))
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError):
        raise OutOfBounds(
            field, _("is not an ISO 8601 date and time (e.g. 2026-03-01T10:30:00+05:00)")
        ) from None
    return check_moment(moment, field=field, now=now, earliest=earliest)


def parse_epoch_seconds(value: Any, *, field: str, now: dt.datetime | None = None) -> dt.datetime:
    """Seconds since 1970 (a gateway's timestamp), within the window."""
    seconds = bounded_int(value, field=field, maximum=2**33)  # year 2242: past any window
    try:
        moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise OutOfBounds(field, _("is not a time")) from None
    return check_moment(moment, field=field, now=now)


def check_date(
    value: dt.date, *, field: str, today: dt.date | None = None, ahead: int = 366
) -> dt.date:
    """A calendar day from the epoch's to `ahead` days after today (reports may name a
    period that has not ended)."""
    today = today or timezone.localdate()
    if value < settings.CFMP_EPOCH:
        raise OutOfBounds(field, too_early(settings.CFMP_EPOCH))
    if value > today + dt.timedelta(days=ahead):
        raise OutOfBounds(field, _("is too far in the future"))
    return value


def parse_date(value: Any, *, field: str, today: dt.date | None = None) -> dt.date:
    if not isinstance(value, str):
        raise OutOfBounds(field, _("must be a date, YYYY-MM-DD"))
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise OutOfBounds(field, _("must be a date, YYYY-MM-DD")) from None
    return check_date(day, field=field, today=today)


def digits_value(text: str) -> int | None:
    """The value of a run of decimal digits in any script (ASCII, Urdu, Arabic-Indic,
    Devanagari, full-width …); None for anything else, including superscript and circled
    digits, which are not numbers a person writes an amount in."""
    if not text or len(text) > 30:
        return None
    value = 0
    for char in text:
        digit = unicodedata.decimal(char, None)
        if digit is None:
            return None
        value = value * 10 + digit
    return value


def bounded_int(value: Any, *, field: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """A whole number within [minimum, maximum]: an int, or text of decimal digits (any
    script) with an optional leading minus."""
    if isinstance(value, bool):
        raise OutOfBounds(field, _("must be a whole number"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        negative = text.startswith("-")
        parsed = digits_value(text[1:] if negative else text)
        if parsed is None:
            raise OutOfBounds(field, _("must be a whole number"))
        value = -parsed if negative else parsed
    if not isinstance(value, int):
        raise OutOfBounds(field, _("must be a whole number"))
    if not minimum <= value <= maximum:
        raise OutOfBounds(
            field,
            _("must be from %(low)s to %(high)s") % {"low": f"{minimum:,}", "high": f"{maximum:,}"},
        )
    return value


def clean_text(
    value: Any,
    *,
    field: str,
    max_length: int,
    strict: bool = True,
    one_line: bool = False,
) -> str:
    """Text NFC-normalised and at most `max_length` characters. NUL, control characters
    (all of them with `one_line`; else all but tab and line breaks) and lone surrogates are
    refused with `strict`, removed without it."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise OutOfBounds(field, _("must be text"))
    control = _CONTROL_ONE_LINE if one_line else _CONTROL
    bad = _SURROGATE.search(value) or control.search(value)
    if bad and strict:
        raise OutOfBounds(field, _("contains control characters or characters that are not text"))
    if bad:
        value = control.sub("", _SURROGATE.sub("", value))
    value = unicodedata.normalize("NFC", value)
    if len(value) > max_length:
        if strict:
            raise OutOfBounds(
                field, _("must be at most %(n)s characters") % {"n": f"{max_length:,}"}
            )
        value = value[:max_length]
    return value


def query_int(
    params: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_INT,
) -> int | None:
    """A numeric query-string parameter: absent or empty gives `default`."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    return bounded_int(raw, field=name, minimum=minimum, maximum=maximum)


def query_date(
    params: Mapping[str, Any], name: str, *, today: dt.date | None = None
) -> dt.date | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    return parse_date(raw, field=name, today=today)


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def load_json(
    body: bytes | str,
    *,
    field: str = "body",
    max_bytes: int = MAX_JSON_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
    constants: Any = None,
) -> Any:
    """A JSON document within the size and depth limits. Nesting too deep for Python's
    parser is refused like any other (it raises RecursionError, not ValueError)."""
    if len(body) > max_bytes:
        raise OutOfBounds(field, _("must be at most %(n)s bytes") % {"n": f"{max_bytes:,}"})
    try:
        data = json.loads(body, parse_constant=constants) if constants else json.loads(body)
    except RecursionError:
        raise OutOfBounds(field, too_deep(max_depth)) from None
    except (ValueError, UnicodeDecodeError) as problem:
        raise OutOfBounds(field, _("is not JSON: %(problem)s") % {"problem": problem}) from None
    if json_depth(data) > max_depth:
        raise OutOfBounds(field, too_deep(max_depth))
    return data


# The admin's own query parameters; every other one names a field lookup.
ADMIN_CONTROL_PARAMETERS = frozenset({"p", "o", "q", "e", "all", "_to_field", "_popup"})


def _integer_range(model: Any, path: str) -> tuple[int, int] | None:
    """The column range of the integer field a lookup path ends on (following relations to
    their target's key), or None when it ends on anything else. The ranges are the strictest
    backend's (PostgreSQL's), so a value is refused alike on SQLite."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db.backends.base.operations import BaseDatabaseOperations

    field = None
    for part in path.split("__"):
        if model is None:
            break  # the rest is a lookup (__exact, __gte, __in …)
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if field.is_relation and field.related_model is not None:
            model = field.related_model
            field = model._meta.pk
        else:
            model = None
    if field is None:
        return None
    return BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())


def check_lookup_integers(model: Any, query: Mapping[str, list[str]]) -> None:
    """Refuse (OutOfBounds, naming the parameter) an admin list's filter value that is a
    whole number outside its column's range: the database raises on it (PostgreSQL's
    'integer out of range', SQLite's overflow) and the list would answer 500."""
    for name, values in query.items():
        if name in ADMIN_CONTROL_PARAMETERS:
            continue
        limits = _integer_range(model, name)
        if limits is None:
            continue
        for value in values:
            for item in value.split(","):  # __in takes a list
                text = item.strip().removeprefix("-")
                if text.isdecimal():
                    bounded_int(item.strip(), field=name, minimum=limits[0], maximum=limits[1])
