"""Pakistani phone numbers as offices really type them, normalised to E.164.

Accepted: `0300-1234567`, `03001234567`, `+92 300 1234567`, `923001234567`,
`0092 300 1234567`, `3001234567`, with spaces, dashes, dots, brackets, and Urdu-Indic or
Arabic-Indic digits. A number that is valid but not a mobile (a landline such as
042-35880062) or not valid at all is reported with the reason: the transaction is kept, but
the citizen cannot be surveyed by SMS.

The common shapes take a fast path that matches the national number against the
`phonenumbers` library's own metadata for Pakistan's mobile range (the full parser costs
~50 µs a number, too slow for bulk imports); everything else goes through the full parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

# Urdu-Indic (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII; separators and
# direction marks removed: one str.translate, no regular expression.
_CLEAN: dict[int, str | None] = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_CLEAN.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_CLEAN.update(
    dict.fromkeys(map(ord, " \t\n\r\f\v\u00a0\u2007\u202f-.()/\u2010\u2011\u2012\u2013"), None)
)
_CLEAN.update(dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"), None))
# National significant number of a Pakistani mobile, with any of the usual prefixes.
_PK_SHAPES = re.compile(r"^(?:\+92|0092|92|0)?(3\d{9})$", re.ASCII)


class Reachability(models.TextChoices):
    MOBILE = "mobile", _("mobile")
    MISSING = "missing", _("no number given")
    INVALID = "invalid", _("not a valid Pakistani number")
    LANDLINE = "landline", _("a landline, cannot receive SMS")
    NOT_MOBILE = "not_mobile", _("not a mobile number")
    FOREIGN = "foreign", _("a foreign number")


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    raw: str
    e164: str  # "" when the number could not be read
    reachability: Reachability

    @property
    def is_mobile(self) -> bool:
        return self.reachability == Reachability.MOBILE


def _pk_mobile_pattern() -> re.Pattern[str]:
    metadata = PhoneMetadata.metadata_for_region("PK")
    mobile = metadata.mobile if metadata is not None else None
    assert mobile is not None and mobile.national_number_pattern
    return re.compile(f"(?:{mobile.national_number_pattern})", re.ASCII)


_PK_MOBILE = _pk_mobile_pattern()


def clean_digits(raw: str) -> str:
    cleaned = raw.translate(_CLEAN)
    if cleaned.isascii():
        return cleaned
    # Any other script's digits (full-width, Devanagari, ...) as ASCII; other letters stay
    # and make the number invalid.
    return "".join(
        str(d) if (d := unicodedata.decimal(c, None)) is not None else c for c in cleaned
    )


def normalise_phone(raw: str | None) -> PhoneNumber:
    raw = (raw or "").strip()
    if not raw:
        return PhoneNumber(raw, "", Reachability.MISSING)
    cleaned = clean_digits(raw)
    shape = _PK_SHAPES.match(cleaned)
    if shape and _PK_MOBILE.fullmatch(national := shape.group(1)):
        return PhoneNumber(raw, "+92" + national, Reachability.MOBILE)
    return _parse_fully(raw, cleaned)


def _parse_fully(raw: str, cleaned: str) -> PhoneNumber:
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, "PK")
    except phonenumbers.NumberParseException:
        return PhoneNumber(raw, "", Reachability.INVALID)
    if not phonenumbers.is_valid_number(number):
        return PhoneNumber(raw, "", Reachability.INVALID)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number.country_code != 92:
        return PhoneNumber(raw, e164, Reachability.FOREIGN)
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return PhoneNumber(raw, e164, Reachability.MOBILE)
    if kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return PhoneNumber(raw, e164, Reachability.LANDLINE)
    return PhoneNumber(raw, e164, Reachability.NOT_MOBILE)


_SEQUENTIAL = "01234567890123456789"
_DESCENDING = "98765432109876543210"


def looks_made_up(e164: str) -> bool:
    """Subscriber digits that offices type to avoid a survey: 0000000, 1234567, 7654321,
    or a run of one digit over most of the number."""
    subscriber = e164[-7:]
    if len(subscriber) < 7:
        return False
    if subscriber in _SEQUENTIAL or subscriber in _DESCENDING:
        return True
    digits = set(subscriber)
    # Six or more of seven digits alike leaves at most two distinct digits.
    return len(digits) <= 2 and max(subscriber.count(d) for d in digits) >= 6


# Numbers a transaction may not be recorded with unless its source says the citizen has no
# mobile (issue 17): nobody could ever be surveyed on them. A landline stays acceptable
# (a robocall reaches it), flagged for data quality.
UNUSABLE = {
    Reachability.MISSING: _(
        "Required: the citizen's mobile number, or tick that the citizen has no mobile."
    ),
    Reachability.INVALID: _("%(number)s is not a valid Pakistani mobile number."),
    Reachability.NOT_MOBILE: _("%(number)s is not a mobile number: it cannot be surveyed."),
    Reachability.FOREIGN: _("%(number)s is a foreign number: CFMP surveys Pakistani mobiles."),
}
NUMBER_BUT_NO_MOBILE = _("A number was given for a citizen marked as having no mobile.")


def unusable_reason(phone: PhoneNumber) -> str | None:
    """Why a transaction cannot be recorded with this number, or None when it can."""
    reason = UNUSABLE.get(phone.reachability)
    if reason is None:
        return None
    if phone.reachability == Reachability.MISSING:
        return str(reason)
    return str(reason) % {"number": repr(phone.raw[:40])}
