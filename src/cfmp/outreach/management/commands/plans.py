"""`cfmp plans`: list the survey plans and change them without the admin or a shell."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfmp.outreach import plans
from cfmp.outreach.models import SurveyPlan

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def duration(text: str) -> dt.timedelta:
    """ "90m", "2h", "1d", "30s"."""
    match = _DURATION.match(text.strip())
    if not match:
        raise CommandError(f"{text!r} is not a duration: write it as 30s, 90m, 2h or 1d")
    return dt.timedelta(**{_UNITS[match[2]]: float(match[1])})


def on_off(text: str) -> bool:
    if text.lower() in {"on", "yes", "true", "1"}:
        return True
    if text.lower() in {"off", "no", "false", "0"}:
        return False
    raise CommandError(f"{text!r}: say on or off")


def share(text: str) -> Decimal:
    try:
        return Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except InvalidOperation as problem:
        raise CommandError(f"{text!r} is not a share: write 0.05 or 5%") from problem


def _delay(delay: dt.timedelta) -> str:
    seconds = int(delay.total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class Command(BaseCommand):
    help = (
        "Survey plans: `list` them (channels in order, delays, call-centre sample, texts' "
        "size), or `set PLAN` (default, or a service's code) with --robocall on|off, "
        "--robocall-delay 1d, --sms-delay 2h, --call-centre-sample 5%, --language ur|en, "
        "--text-ur TEXT, --text-en TEXT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "set"])
        parser.add_argument("plan", nargs="?", help="default, or a service's code")
        parser.add_argument("--robocall", type=on_off)
        parser.add_argument("--robocall-delay", type=duration)
        parser.add_argument("--sms-delay", type=duration)
        parser.add_argument("--call-centre-sample", type=share)
        parser.add_argument("--language", choices=["ur", "en"])
        parser.add_argument("--text-ur")
        parser.add_argument("--text-en")

    def handle(self, *args: object, action: str, plan: str | None, **options: object) -> None:
        if action == "list":
            self._list()
            return
        if not plan:
            raise CommandError("say which plan: default, or a service's code")
        chosen = self._plan(plan)
        try:
            warnings = plans.update_plan(
                plan=chosen,
                robocall=options["robocall"],  # type: ignore[arg-type]
                robocall_delay=options["robocall_delay"],  # type: ignore[arg-type]
                sms_delay=options["sms_delay"],  # type: ignore[arg-type]
                manual_call_rate=options["call_centre_sample"],  # type: ignore[arg-type]
                language=options["language"],  # type: ignore[arg-type]
                sms_text_ur=options["text_ur"],  # type: ignore[arg-type]
                sms_text_en=options["text_en"],  # type: ignore[arg-type]
            )
        except ValidationError as problem:
            lines = [f"{name}: {' '.join(errors)}" for name, errors in problem.message_dict.items()]
            raise CommandError("not changed: " + "; ".join(lines)) from problem
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        self._describe(chosen)

    def _plan(self, name: str) -> SurveyPlan:
        if name == "default":
            return plans.default_plan()
        from cfmp.registry.models import Service

        service = Service.objects.filter(code=name).first()
        if service is None:
            raise CommandError(f"no service with the code {name!r} (or say default)")
        return plans.plan_for_service(service)

    def _list(self) -> None:
        plans.default_plan()
        for plan in SurveyPlan.objects.select_related("service").order_by("-is_default", "pk"):
            self._describe(plan)

    def _describe(self, plan: SurveyPlan) -> None:
        steps = []
        if plan.robocall:
            steps.append(f"robocall after {_delay(plan.robocall_delay)}")
        steps.append(f"SMS {_delay(plan.sms_delay)} later")
        sample = f"{float(plan.manual_call_rate) * 100:g}%"
        self.stdout.write(
            f"{plan.code}: {', then '.join(steps)}; call-centre sample {sample}; "
            f"language {plan.language}"
        )
        for language, text in (("ur", plan.sms_text_ur), ("en", plan.sms_text_en)):
            self.stdout.write(
                f"  {language} text: {plans.check_text(text=text, language=language).summary()}"
            )
        for channel in plans.simulated_channels_of(plan):
            self.stdout.write(f"  {channel}: the built-in simulator (works only in the demo)")
