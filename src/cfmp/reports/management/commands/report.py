"""`cfmp report list | run NAME | summary`: the report catalogue from the shell."""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from cfmp.accounts.models import User
from cfmp.reports.catalogue import CATALOGUE, get_report, period_range
from cfmp.reports.exports import FORMATS, PdfUnavailable, export
from cfmp.reports.selectors import all_time, province_summary, run_report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "List the report catalogue, run one report, or print the province totals."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every report: name and titles")
        run = sub.add_parser("run", help="run one report")
        run.add_argument("name")
        summary = sub.add_parser("summary", help="province totals")
        for command in (run, summary):
            command.add_argument("--from", dest="start", type=_date)
            command.add_argument("--to", dest="end", type=_date)
            command.add_argument("--as-user", help="scope the figures to this user's role")
        run.add_argument("--format", choices=FORMATS, default="csv")
        run.add_argument("--output", help="write to this file instead of standard output")
        summary.add_argument("--json", action="store_true", help="print JSON (the default)")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "list":
            for name, report in CATALOGUE.items():
                self.stdout.write(f"{name}\t{report.title}\t{report.title_ur}")
            return
        user = None
        if options.get("as_user"):
            user = User.objects.filter(username=options["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['as_user']!r}")
        if action == "summary":  # all time unless told otherwise
            first, today = all_time()
            start, end = options["start"] or first, options["end"] or today
            totals = province_summary(user=user, start=start, end=end)
            self.stdout.write(json.dumps({"from": str(start), "to": str(end), **totals}))
            return
        try:
            report = get_report(options["name"])
            start, end = period_range(report.period.key, start=options["start"], end=options["end"])
        except (KeyError, ValueError) as problem:
            raise CommandError(str(problem.args[0])) from None
        try:
            data = export(run_report(report, user=user, start=start, end=end), options["format"])
        except PdfUnavailable as problem:
            raise CommandError(str(problem)) from None
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
            self.stderr.write(f"{report.name} written to {options['output']}")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
