"""`cfmp run`: the whole platform in one command — the web server and background workers —
for `make run` and small single-machine deployments. Stops everything on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
        log_dir = settings.VAR_DIR / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        worker_log = (log_dir / "worker.log").open("a")
        server, *worker_commands = commands
        children = [subprocess.Popen(server, env=os.environ.copy())]
        # The workers' lines (hundreds a minute in the demo) go to a file, not the console.
        children += [
            subprocess.Popen(
                command, env=os.environ.copy(), stdout=worker_log, stderr=subprocess.STDOUT
            )
            for command in worker_commands
        ]
        self.stdout.write(
            f"started {workers} background worker(s); their log: {log_dir / 'worker.log'}"
        )

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            if self._wait_until_serving(addrport, children):
                self._say_serving(addrport)
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
        worker_log.close()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)

    def _wait_until_serving(self, addrport: str, children: list[subprocess.Popen]) -> bool:
        """Whether the web server answers (asked every half second, for a minute)."""
        host, _, port = addrport.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/healthz"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and all(c.poll() is None for c in children):
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return True
            except urllib.error.HTTPError:
                return True  # it answers, whatever it says
            except OSError:
                time.sleep(0.5)
        return False

    def _say_serving(self, addrport: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"CFMP is serving on http://{addrport}/ (admin: http://{addrport}/admin/); "
                "Ctrl-C stops it."
            )
        )
        if settings.CFMP_DEMO:
            from cfmp.core.demo import demo_users_text

            self.stdout.write(demo_users_text())
