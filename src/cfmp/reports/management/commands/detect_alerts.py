"""`cfmp detect-alerts [--week-end DATE]`: raise the week's alerts now (the scheduler does it
daily at 06:00 for the week ending yesterday)."""

import datetime as dt

from django.core.management.base import BaseCommand

from cfmp.reports.alerts import detect_alerts


class Command(BaseCommand):
    help = "Test every office and official's week against its baseline and peers; raise alerts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--week-end", type=dt.date.fromisoformat, help="default: yesterday")

    def handle(self, *args, **options) -> None:
        alerts = detect_alerts(week_end=options["week_end"])
        for alert in alerts:
            self.stdout.write(
                f"{alert.kind}\t{alert.office}\t{alert.official or ''}\t"
                f"{alert.observed}/{alert.out_of}\tq={alert.q_value:.4f}"
            )
        self.stderr.write(f"{len(alerts)} alerts")
