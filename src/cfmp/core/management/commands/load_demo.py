import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cfmp.core.demo import (
    DEMO_USERS,
    HISTORY_WEEKS,
    add_demo_history,
    add_demo_transactions,
    create_demo_users,
    demo_kiosk_code,
    demo_source,
    keep_demo_password,
    load_demo_registry,
)
from cfmp.intake.models import Transaction


class Command(BaseCommand):
    help = (
        "Load demo offices and officials, one demo user per role, transactions of the last "
        "two days and, the first time, ten weeks of history before them (replies, cases, "
        "alerts). Safe to re-run; the demo users' password is printed once, when they are "
        "created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--transactions",
            type=int,
            default=None,
            help="Transactions of the last two days to add (default: 150 the first time, "
            "none on a re-run).",
        )

        parser.add_argument(
            "--history-weeks",
            type=int,
            default=HISTORY_WEEKS,
            help="Weeks of history to add the first time (default: %(default)s; 0: none).",
        )

    def handle(self, *args, transactions: int | None, history_weeks: int, **options) -> None:
        offices = load_demo_registry()
        created, password = create_demo_users()
        self.stdout.write(f"demo registry: {offices} offices with their officials")
        if transactions is None:
            has_history = Transaction.objects.filter(source=demo_source()).exists()
            transactions = 0 if has_history else 150
        if transactions:
            now = timezone.now()
            stored = add_demo_transactions(
                count=transactions, start=now - dt.timedelta(days=2), end=now
            )
            self.stdout.write(f"demo transactions: {stored} added")
        if history_weeks:
            started = time.monotonic()
            made = add_demo_history(weeks=history_weeks, progress=self.stdout.write)
            if made:
                figures = ", ".join(f"{n} {what}" for what, n in made.items())
                took = time.monotonic() - started
                self.stdout.write(f"demo history: {figures} ({took:.0f} s)")
        self._make_robocall_prompts()
        code = demo_kiosk_code()
        if code is not None:
            self.stdout.write(
                f"demo kiosk: open /kiosk/ (on a tablet, full-screen) and enter the code {code}"
            )
        if password is None:
            self.stdout.write(
                "demo users already exist (their password was printed when they were created; "
                "`.venv/bin/cfmp demo-users` shows them again; `.venv/bin/cfmp changepassword "
                "USERNAME` sets a new one)"
            )
            return
        width = max(len(d.username) for d in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS("demo users created, one per role:"))
        for demo in DEMO_USERS:
            if demo.username in created:
                self.stdout.write(f"  {demo.username.ljust(width)}  {demo.role.label}")
        keep_demo_password(password)
        self.stdout.write(
            self.style.WARNING(
                f"password for all of them: {password} (`.venv/bin/cfmp demo-users` shows it "
                "again in the demo)"
            )
        )

    def _make_robocall_prompts(self) -> None:
        from cfmp.outreach.voice.audio import AudioError
        from cfmp.outreach.voice.prompts import BUILT_IN, built_in

        try:
            for language, part in BUILT_IN:
                built_in(language, part)
        except AudioError as problem:
            self.stdout.write(f"robocall prompts not made: {problem}")
            return
        self.stdout.write(
            "robocall prompts: the built-in ones, spoken by espeak-ng (replace them with "
            "recordings: cfmp voice-prompts upload, or the admin's Voice prompts)"
        )
