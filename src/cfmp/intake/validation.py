"""Turning one submitted transaction — from the API, a file or the operator form — into a row
ready to store, or into field errors. Every door into intake validates through here.

The validator loads the registry's codes once and keeps them in memory, so a million-row
import costs dictionary look-ups, not queries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cfmp.core.bounds import OutOfBounds, check_moment, clean_text
from cfmp.core.clock import local_zone
from cfmp.core.modelinfo import max_length_of
from cfmp.intake.cnic import InvalidCnic, parse_cnic, protect_cnic
from cfmp.intake.models import QualityFlag, SmsBlock, Transaction
from cfmp.intake.phones import (
    NUMBER_BUT_NO_MOBILE,
    Reachability,
    looks_made_up,
    normalise_phone,
    unusable_reason,
)
from cfmp.registry.models import Office, Official, Service

FIELDS = (
    "reference",
    "occurred_at",
    "service",
    "office",
    "official",
    "citizen_name",
    "mobile",
    "cnic",
)
_MAX = {
    name: max_length_of(Transaction, name) for name in ("reference", "citizen_name", "mobile_raw")
}
_MAX_OFFICIAL_CODE = max_length_of(Official, "employee_code")
_TEXT_FIELDS = frozenset(FIELDS) - {"occurred_at"}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_BLOCK_BY_REACHABILITY = {
    Reachability.MOBILE: (SmsBlock.NONE, QualityFlag(0)),
    Reachability.MISSING: (SmsBlock.NO_MOBILE, QualityFlag.NO_MOBILE),
    Reachability.INVALID: (SmsBlock.INVALID, QualityFlag.INVALID_MOBILE),
    Reachability.LANDLINE: (SmsBlock.LANDLINE, QualityFlag.LANDLINE),
    Reachability.NOT_MOBILE: (SmsBlock.NOT_MOBILE, QualityFlag.NOT_MOBILE),
    Reachability.FOREIGN: (SmsBlock.NOT_MOBILE, QualityFlag.NOT_MOBILE),
}


@dataclass(slots=True)
class TransactionInput:
    """One transaction as submitted: text as typed (a datetime is accepted for occurred_at)."""

    reference: str = ""
    occurred_at: str | dt.datetime = ""
    service: str = ""
    office: str = ""
    official: str = ""
    citizen_name: str = ""
    mobile: str = ""
    cnic: str = ""
    # The source says the citizen has no mobile (issue 17): only then may `mobile` be empty.
    no_mobile: bool = False
    # Problems found before validation (a malformed file row), reported with the rest.
    problems: dict[str, list[str]] | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> TransactionInput:
        """From a JSON object: strings as they are, numbers as their digits; anything else
        (a list, an object, true/false) is a field error, never its Python text."""
        values: dict[str, Any] = {}
        problems: dict[str, list[str]] = {}
        for name in FIELDS:
            value = data.get(name)
            if value is None:
                value = ""
            elif isinstance(value, bool) or not isinstance(value, str | int | float):
                problems[name] = ["must be a string"]
                value = ""
            elif isinstance(value, float):
                value = str(int(value)) if value.is_integer() else str(value)
            values[name] = str(value).strip()
        no_mobile = parse_no_mobile(data.get("no_mobile"))
        if no_mobile is None:
            problems["no_mobile"] = ["must be true or false"]
        return cls(**values, no_mobile=bool(no_mobile), problems=problems or None)


@dataclass(slots=True)
class ValidTransaction:
    reference: str
    occurred_at: dt.datetime
    service_id: int
    office_id: int
    official_code: str  # resolved to an id (or created unverified) when the chunk is written
    citizen_name: str
    mobile_raw: str
    mobile: str
    sms_block: str
    cnic_digest: str
    cnic_sealed: str
    cnic_last4: str
    quality_flags: int


_YES = frozenset({"1", "true", "yes", "y", "x"})
_NO = frozenset({"", "0", "false", "no", "n"})


def parse_no_mobile(value: Any) -> bool | None:
    """A "no mobile" mark as a JSON boolean or a file's cell (yes/no, true/false, 1/0,
    empty); None when it is neither."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO else None


class Rejected(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Registry:
    """The registry codes a batch is checked against, loaded once per import."""

    services: dict[str, tuple[int, int]] = field(default_factory=dict)  # code -> (id, dept)
    offices: dict[str, tuple[int, int]] = field(default_factory=dict)  # code -> (id, dept)
    officials: dict[str, int] = field(default_factory=dict)  # employee code -> id
    official_offices: dict[str, int | None] = field(default_factory=dict)  # code -> office id
    unverified_officials: set[str] = field(default_factory=set)  # employee codes
    official_numbers: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> Registry:
        registry = cls()
        services = Service.objects.filter(is_active=True)
        for sid, code, dept in services.values_list("id", "code", "department_id"):
            registry.services[code.lower()] = (sid, dept)
        offices = Office.objects.filter(is_active=True)
        for oid, code, dept, mobile in offices.values_list("id", "code", "department_id", "mobile"):
            registry.offices[code.lower()] = (oid, dept)
            if mobile:
                registry.official_numbers.add(mobile)
        _add_names(registry.services, services.values_list("code", "name", "name_ur"))
        _add_names(registry.offices, offices.values_list("code", "name"))
        for pk, code, office_id, mobile, verified in Official.objects.values_list(
            "id", "employee_code", "office_id", "mobile", "is_verified"
        ):
            registry.officials[code.lower()] = pk
            registry.official_offices[code.lower()] = office_id
            if not verified:
                registry.unverified_officials.add(code.lower())
            if mobile:
                registry.official_numbers.add(mobile)
        return registry


def _add_names(by_code: dict[str, tuple[int, int]], rows) -> None:
    """Names (English or Urdu) are accepted for codes where they are unambiguous: a name
    that two rows share, or that is some row's code, stays unknown (the code is needed)."""
    seen: dict[str, set[str]] = {}
    for code, *names in rows:
        for name in names:
            if name and name.strip():
                seen.setdefault(name.strip().lower(), set()).add(code.lower())
    for name, codes in seen.items():
        if len(codes) == 1 and name not in by_code:
            by_code[name] = by_code[codes.pop()]


def parse_occurred_at(value: str | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """ISO 8601 (with or without offset) or DD/MM/YYYY [HH:MM[:SS]]; naive times are local."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        match = _DMY.match(value)
        if match:
            day, month, year, hour, minute, second = match.groups()
            moment = dt.datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        else:
            moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def _unstorable(value: str) -> str | None:
    """Text no database should be handed: NUL (PostgreSQL cannot store it) or a lone
    surrogate (not encodable as UTF-8), as JSON and some CSV exports can carry."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains characters that are not valid text"
    try:  # other control characters (a bell, an escape) are no part of a name or a code
        clean_text(value, field="", max_length=len(value))
    except OutOfBounds:
        return "contains control characters"
    return None


class Validator:
    def __init__(
        self,
        *,
        registry: Registry,
        allowed_office_ids: frozenset[int] | None,
        now: dt.datetime | None = None,
        references_per_office: bool = False,
    ) -> None:
        self.registry = registry
        self.allowed_office_ids = allowed_office_ids  # None: every office
        # Operators' receipt numbers repeat across offices: key them by office.
        self.references_per_office = references_per_office
        self.zone = local_zone()
        # The window every door applies to a moment (cfmp.core.bounds): a transaction dated
        # in year 1 or 9999 would break the rollups and every report after them.
        self.now = now or timezone.now()

    def validate(self, item: TransactionInput) -> ValidTransaction:
        errors: dict[str, list[str]] = dict(item.problems) if item.problems else {}
        for name in _TEXT_FIELDS:
            value = getattr(item, name)
            if isinstance(value, str) and (problem := _unstorable(value)):
                errors[name] = [problem]
        if errors.keys() & _TEXT_FIELDS:
            raise Rejected(errors)

        reference = item.reference
        if reference and self.references_per_office:
            reference = f"{item.office.upper()}/{reference}"
        if not item.reference:
            errors["reference"] = ["required"]
        elif len(reference) > _MAX["reference"]:
            errors["reference"] = [f"at most {_MAX['reference']} characters"]

        occurred_at = None
        if not item.occurred_at:
            errors["occurred_at"] = ["required"]
        else:
            try:
                occurred_at = parse_occurred_at(item.occurred_at, self.zone)
            except (ValueError, OverflowError):
                errors["occurred_at"] = [
                    f"{item.occurred_at!s:.40} is not a date and time "
                    "(use ISO 8601, e.g. 2026-03-01T10:30:00+05:00, or DD/MM/YYYY HH:MM)"
                ]
            else:
                try:
                    check_moment(occurred_at, field="occurred_at", now=self.now)
                except OutOfBounds as refused:
                    errors["occurred_at"] = [refused.message]

        service = self.registry.services.get(item.service.lower()) if item.service else None
        if service is None:
            errors["service"] = [
                f"unknown service {item.service!r}" if item.service else "required"
            ]
        office = self.registry.offices.get(item.office.lower()) if item.office else None
        if office is None:
            errors["office"] = [f"unknown office {item.office!r}" if item.office else "required"]
        elif self.allowed_office_ids is not None and office[0] not in self.allowed_office_ids:
            errors["office"] = [f"office {item.office!r} is not one this source may write for"]
        if service is not None and office is not None and service[1] != office[1]:
            errors.setdefault("service", []).append(
                f"{item.service!r} is not a service of office {item.office!r}'s department"
            )

        official_code = item.official
        if len(official_code) > _MAX_OFFICIAL_CODE:
            errors["official"] = [f"at most {_MAX_OFFICIAL_CODE} characters"]
        elif official_code and self.allowed_office_ids is not None:
            posted_at = self.registry.official_offices.get(official_code.lower(), -1)
            if posted_at != -1 and posted_at not in self.allowed_office_ids:
                errors["official"] = [
                    f"official {official_code!r} is posted at an office this source does not "
                    "write for"
                ]

        citizen_name = item.citizen_name
        if not citizen_name:
            errors["citizen_name"] = ["required"]
        elif len(citizen_name) > _MAX["citizen_name"]:
            errors["citizen_name"] = [f"at most {_MAX['citizen_name']} characters"]

        phone = normalise_phone(item.mobile)
        if len(item.mobile) > _MAX["mobile_raw"]:
            errors["mobile"] = [f"at most {_MAX['mobile_raw']} characters"]
        elif item.no_mobile and item.mobile:
            errors["mobile"] = [str(NUMBER_BUT_NO_MOBILE)]
        elif not item.no_mobile and (problem := unusable_reason(phone)):
            errors["mobile"] = [problem]

        protected = None
        if item.cnic:
            try:
                protected = protect_cnic(parse_cnic(item.cnic))
            except InvalidCnic as problem:
                errors["cnic"] = [str(problem)]

        if errors:
            raise Rejected(errors)
        assert occurred_at is not None and service is not None and office is not None

        sms_block, flags = _BLOCK_BY_REACHABILITY[phone.reachability]
        if phone.e164:
            if phone.e164 in self.registry.official_numbers:
                sms_block, flags = SmsBlock.OFFICIAL_NUMBER, flags | QualityFlag.OFFICIAL_NUMBER
            if phone.is_mobile and looks_made_up(phone.e164):
                flags |= QualityFlag.MADE_UP_NUMBER
        if official_code and (
            official_code.lower() not in self.registry.officials
            or official_code.lower() in self.registry.unverified_officials
        ):
            flags |= QualityFlag.UNVERIFIED_OFFICIAL

        return ValidTransaction(
            reference=reference,
            occurred_at=occurred_at,
            service_id=service[0],
            office_id=office[0],
            official_code=official_code,
            citizen_name=citizen_name,
            mobile_raw=item.mobile,
            mobile=phone.e164,
            sms_block=sms_block,
            cnic_digest=protected.digest if protected else "",
            cnic_sealed=protected.sealed if protected else "",
            cnic_last4=protected.last4 if protected else "",
            quality_flags=int(flags),
        )
