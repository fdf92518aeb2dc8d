"""`cfmp escalate-cases`: escalate overdue cases now (the scheduler does it every 10 minutes)."""

from django.core.management.base import BaseCommand

from cfmp.cases.services import escalate_overdue, file_unfiled_complaints


class Command(BaseCommand):
    help = "File complaints not yet in a case, and escalate overdue cases one level."

    def handle(self, *args, **options) -> None:
        filed = file_unfiled_complaints()
        escalated = escalate_overdue()
        self.stdout.write(f"{filed} complaints filed, {escalated} cases escalated")
