"""Survey plans: what a plan's texts cost and whether they can be delivered, which channels a
plan uses, and the one write path for changing a plan (the admin's form and `cfmp plans`).

A survey text is a template (`{citizen_name}`, `{service}`, `{office}`, `{date}`); its length
is known only once filled in, so it is judged at its longest: the longest office and service
names in the registry and a long citizen's name."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from cfmp.channels.registry import configured_for_real
from cfmp.outreach import segments
from cfmp.outreach.models import Channel, SurveyPlan

PLACEHOLDERS = ("citizen_name", "service", "office", "date")
# Characters: longer names are rare (intake takes up to 200); a text that still comes out too
# long for the gateway fails its attempt with the reason, never cut (dispatch).
LONG_CITIZEN_NAME = 40
DATE_EXAMPLE = "28/11/2026"


@dataclass(frozen=True)
class TextCheck:
    """A survey text judged at its longest: its parts, their cost, and what is wrong."""

    segments: segments.Segments
    price: Decimal
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        return self.price * self.segments.parts

    def summary(self) -> str:
        encoding = (
            _("Urdu/Unicode (UCS-2)")
            if self.segments.encoding == segments.UCS2
            else (_("GSM 7-bit"))
        )
        text = _("%(parts)d SMS per citizen at its longest (%(units)d characters, %(enc)s)") % {
            "parts": self.segments.parts,
            "units": self.segments.units,
            "enc": encoding,
        }
        if self.price:
            text += _("; about Rs %(cost)s per citizen") % {"cost": f"{self.cost:.2f}"}
        return text


def _longest(model_field: str) -> int:
    from cfmp.registry.models import Office, Service

    table, name = model_field.split(".")
    rows = Office.objects.all() if table == "office" else Service.objects.all()
    return rows.aggregate(n=Max(Length(name)))["n"] or 0


def longest_values(*, language: str) -> dict[str, str]:
    """Stand-ins as long as the longest values a text may be filled with (in the script of
    the plan's language, so they are counted in the right encoding)."""
    letter = "ا" if language == "ur" else "a"
    service_field = "service.name_ur" if language == "ur" else "service.name"
    return {
        "citizen_name": letter * LONG_CITIZEN_NAME,
        "service": letter * max(_longest(service_field), 1),
        "office": "a" * max(_longest("office.name"), 1),  # office names are stored in English
        "date": DATE_EXAMPLE,
    }


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders CFMP cannot fill; raises ValueError for a malformed template."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    return [name for name in names if name not in PLACEHOLDERS]


def check_text(*, text: str, language: str, longest: dict[str, str] | None = None) -> TextCheck:
    """`longest`: `longest_values(language=…)` read once by a caller judging many texts."""
    errors: list[str] = []
    warnings: list[str] = []
    try:
        unknown = unknown_placeholders(text)
    except ValueError as problem:
        unknown, filled = [], text
        errors.append(_("The text is not a valid template: %(why)s.") % {"why": problem})
    else:
        if unknown:
            errors.append(
                _("Unknown placeholders: %(names)s. Use only %(known)s.")
                % {
                    "names": ", ".join(f"{{{n}}}" for n in unknown),
                    "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                }
            )
            filled = text
        else:
            filled = text.format_map(longest or longest_values(language=language))
    counted = segments.count(filled)
    if not text.strip():
        errors.append(_("The text is empty."))
    gateway_limit = settings.CFMP_SMS_GATEWAY_MAX_PARTS
    if counted.parts > gateway_limit:
        errors.append(
            _(
                "At its longest this text needs %(parts)d SMS; the gateway sends at most "
                "%(limit)d (CFMP_SMS_GATEWAY_MAX_PARTS), so it could not be delivered whole. "
                "Shorten it."
            )
            % {"parts": counted.parts, "limit": gateway_limit}
        )
    elif counted.parts > settings.CFMP_SMS_MAX_SEGMENTS:
        warnings.append(
            _(
                "At its longest this text needs %(parts)d SMS per citizen, more than the "
                "%(limit)d advised (CFMP_SMS_MAX_SEGMENTS): each costs a message."
            )
            % {"parts": counted.parts, "limit": settings.CFMP_SMS_MAX_SEGMENTS}
        )
    price = Decimal(str(settings.CFMP_SMS_PRICE_PER_PART))
    return TextCheck(counted, price, errors, warnings)


def check_plan_texts(*, sms_text_ur: str, sms_text_en: str) -> dict[str, TextCheck]:
    return {
        "sms_text_ur": check_text(text=sms_text_ur, language="ur"),
        "sms_text_en": check_text(text=sms_text_en, language="en"),
    }


def channels_of(plan: SurveyPlan) -> list[str]:
    """The gateway channels a plan contacts citizens through, in order (the call centre's
    sample is worked by people, not a gateway)."""
    return ([str(Channel.VOICE)] if plan.robocall else []) + [str(Channel.SMS)]


def simulated_channels_of(plan: SurveyPlan) -> list[str]:
    """The plan's channels that would go to the built-in simulator (not configured for real)."""
    return [channel for channel in channels_of(plan) if not configured_for_real(channel)]


def robocall_possible() -> bool:
    """Whether robocalls can be made here: a real voice gateway, or the demo's simulator. A
    plan made by CFMP (the default, a service's new plan) has robocalls only then."""
    return configured_for_real(Channel.VOICE) or settings.CFMP_SIMULATOR_ALLOWED


def default_plan() -> SurveyPlan:
    """The plan for services without their own, made on first use."""
    plan, _ = SurveyPlan.objects.get_or_create(
        is_default=True, service=None, defaults={"robocall": robocall_possible()}
    )
    return plan


def plan_for_service(service: Any) -> SurveyPlan:
    """A service's own plan, made on first use (robocalls only where they can be made)."""
    plan, _ = SurveyPlan.objects.get_or_create(
        service=service, defaults={"is_default": False, "robocall": robocall_possible()}
    )
    return plan


def plans_using_the_simulator() -> list[tuple[SurveyPlan, list[str]]]:
    plans = list(
        SurveyPlan.objects.select_related("service").order_by("-is_default", "service__name")
    )
    if not any(plan.is_default for plan in plans):  # not made yet: as it will be made
        plans.insert(0, SurveyPlan(is_default=True, robocall=robocall_possible()))
    found = [(plan, simulated_channels_of(plan)) for plan in plans]
    return [(plan, channels) for plan, channels in found if channels]


@transaction.atomic
def update_plan(
    *,
    plan: SurveyPlan,
    robocall: bool | None = None,
    robocall_delay: dt.timedelta | None = None,
    sms_delay: dt.timedelta | None = None,
    manual_call_rate: Decimal | None = None,
    language: str | None = None,
    sms_text_ur: str | None = None,
    sms_text_en: str | None = None,
) -> list[str]:
    """Change a plan; refuses (ValidationError naming the field) what cannot work. Returns
    the warnings of what was saved (a text costing more than advised)."""
    changes = {
        "robocall": robocall,
        "robocall_delay": robocall_delay,
        "sms_delay": sms_delay,
        "manual_call_rate": manual_call_rate,
        "language": language,
        "sms_text_ur": sms_text_ur,
        "sms_text_en": sms_text_en,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(plan, name, value)
    errors, warnings = plan_problems(plan)
    if errors:
        raise ValidationError(errors)
    plan.save()
    return warnings


def plan_problems(plan: SurveyPlan) -> tuple[dict[str, list[str]], list[str]]:
    """What cannot work in a plan, by field, and what is only advised against."""
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= Decimal(plan.manual_call_rate) <= Decimal(1):
        errors["manual_call_rate"] = [_("A share between 0 and 1 (0.05 = 5%).")]
    for name in ("robocall_delay", "sms_delay"):
        if getattr(plan, name) < dt.timedelta(0):
            errors[name] = [_("A delay cannot be negative.")]
    if plan.language not in ("ur", "en"):
        errors["language"] = [_("ur or en.")]
    checks = check_plan_texts(sms_text_ur=plan.sms_text_ur, sms_text_en=plan.sms_text_en)
    for name, check in checks.items():
        if check.errors:
            errors[name] = check.errors
    return errors, [warning for check in checks.values() for warning in check.warnings]
