from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfmp.core.progress import byte_progress
from cfmp.core.tabular import FileRejected
from cfmp.intake.importers import import_transaction_file, is_xlsx
from cfmp.intake.models import SourceSystem


class Command(BaseCommand):
    help = (
        "Import transactions from a CSV or XLSX file with the columns reference, occurred_at, "
        "service, office, official, citizen_name, mobile, cnic (official and cnic optional). "
        "Re-running a file creates nothing new. Rejected rows are written with their reasons "
        "to FILE.errors.csv beside the input; exits 1 if any row was rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Code of the source system the file comes from."
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, file: Path, source: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        source_system = SourceSystem.objects.filter(code=source, is_active=True).first()
        if source_system is None:
            known = ", ".join(
                SourceSystem.objects.filter(is_active=True).values_list("code", flat=True)
            )
            raise CommandError(
                f"unknown source {source!r} (known: {known or 'none'}; "
                "add one with `cfmp source add`)"
            )
        show = not options["no_progress"] and options["verbosity"] > 0
        # A CSV's progress is measured in bytes; an XLSX's (zipped) in rows, against an
        # estimate of one row per 60 bytes.
        total = file.stat().st_size // (60 if is_xlsx(file) else 1)
        try:
            with byte_progress(total=total, label=file.name, enabled=show) as progress:
                result = import_transaction_file(path=file, source=source_system, progress=progress)
        except FileRejected as rejection:
            raise CommandError(f"{file}: {rejection}; nothing was imported") from rejection

        report = result.report
        self.stdout.write(
            f"read {report.read}, created {report.created}, "
            f"already present {report.already_present}, rejected {report.rejected}, "
            f"flagged {report.flagged}"
        )
        for name, count in sorted(report.flags.items()):
            self.stdout.write(f"  flagged {name}: {count}")
        if result.error_file is not None:
            self.stderr.write(f"rejected rows and reasons: {result.error_file}")
            raise CommandError(f"{report.rejected} of {report.read} rows were rejected")
