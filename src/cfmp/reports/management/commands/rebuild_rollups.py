"""`cfmp rebuild-rollups`: recompute every day's report counts from the raw tables."""

from django.core.management.base import BaseCommand

from cfmp.reports.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute the report rollups of every day from the raw tables (for repair)."

    def handle(self, *args, **options) -> None:
        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                self.stderr.write(f"{done}/{total} days")

        days = rebuild_rollups(progress=progress)
        self.stdout.write(f"{days} days rebuilt")
