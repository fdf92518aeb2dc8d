from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cfmp.core.progress import byte_progress
from cfmp.core.tabular import FileRejected, read_csv_records
from cfmp.registry.importers import REGISTRY_COLUMNS, import_registry_records


class Command(BaseCommand):
    help = (
        "Load offices and officials from a CSV file with the columns "
        + ", ".join(REGISTRY_COLUMNS)
        + " (and optionally office_name_ur, official_name_ur: the names in Urdu)"
        + ". Upserts by office and official code; an official under a new office is "
        "transferred. Bad rows are reported and skipped; exits 1 if any row was rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--effective-on",
            type=dt.date.fromisoformat,
            default=None,
            help="Date new postings and transfers take effect (YYYY-MM-DD; default today).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, file: Path, effective_on: dt.date | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        effective_on = effective_on or timezone.localdate()
        show_progress = not options["no_progress"] and options["verbosity"] > 0
        try:
            with (
                file.open("rb") as binary,
                byte_progress(
                    total=file.stat().st_size, label=file.name, enabled=show_progress
                ) as progress,
            ):
                records = read_csv_records(
                    binary, required_columns=REGISTRY_COLUMNS, progress=progress
                )
                report = import_registry_records(records, effective_on=effective_on)
        except FileRejected as rejection:
            raise CommandError(f"{file}: {rejection}; nothing was imported") from rejection

        for error in report.errors:
            self.stderr.write(f"{file.name}: {error}")
        counts = ", ".join(f"{name} {n}" for name, n in sorted(report.counts.items()))
        self.stdout.write(
            f"read {report.read} rows: {counts or 'nothing imported'}; rejected {report.rejected}"
        )
        if report.rejected:
            raise CommandError(f"{report.rejected} of {report.read} rows were rejected")
