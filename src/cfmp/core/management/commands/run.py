"""`cfmp run`: the whole platform in one command — the web server and background workers —
for `make run` and small single-machine deployments. Stops everything on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web application and run background workers together (Ctrl-C stops all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Worker processes to start beside the web server (default 1).",
        )

    def handle(self, *args, addrport: str, workers: int, **options) -> None:
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
        executable = [sys.executable, "-m"]
        commands = [
            [*executable, "cfmp", "runserver", addrport, "--noreload"],
            *(
                [
                    *executable,
                    "celery",
                    "-A",
                    "cfmp",
                    "worker",
                    "--queues",
                    "celery,voice",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--hostname",
                    f"worker{n}@%h",
                    # One scheduler for the periodic tasks (planning, sending, recovery).
                    *(
                        ["--beat", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
                        if n == 1
                        else []
                    ),
                ]
                for n in range(1, workers + 1)
            ),
        ]
        children = [subprocess.Popen(command, env=os.environ.copy()) for command in commands]
        self.stdout.write(f"started web server on http://{addrport}/ and {workers} worker(s)")

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)
