"""`cfmp send-case-digests`: email each case owner their overdue and soon-due cases (the
scheduler does it daily at 08:00)."""

from django.core.management.base import BaseCommand

from cfmp.cases.digests import send_case_digests


class Command(BaseCommand):
    help = "Email each case owner a digest of their overdue cases and those due within two days."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_case_digests()} digests sent")
