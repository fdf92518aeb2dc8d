"""`cfmp send-report-digests [--weekly]`: email every officer their area's figures (the
scheduler sends daily ones at 07:00 and weekly ones on Mondays)."""

from django.core.management.base import BaseCommand

from cfmp.reports.digests import send_report_digests


class Command(BaseCommand):
    help = "Email every officer yesterday's (or, with --weekly, the last seven days') figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--weekly", action="store_true")

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_report_digests(weekly=options['weekly'])} digests sent")
