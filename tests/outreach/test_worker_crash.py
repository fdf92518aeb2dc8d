"""A real Celery worker killed with SIGKILL in the middle of handing an SMS to the gateway:
nothing is sent twice and nothing is lost.


The gateway is a stand-in for Kannel's sendsms that records every request and holds the
first one open, so the worker is caught mid-send. After the kill, a new worker and the
recovery sweep run: the attempt caught mid-send is never sent again (its outcome is
unknown, and it is marked so rather than asking the citizen twice); the attempt still queued is
sent exactly once, although its task may now be both in the broker and re-enqueued."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse

from tests.channels.kannel.support import free_port
from tests.outreach.support import PLAN_TWO_SMS, attempt_rows
from tests.processes import cfmp, clean_environment, scratch_database, start_worker

RECOVER = "from cfmp.outreach.dispatch import recover_attempts; print(recover_attempts())"


class HangingGateway(http.server.ThreadingHTTPServer):
    """Answers sendsms like Kannel ("0: Accepted for delivery"), holding the first request
    until `release` is set."""

    def __init__(self) -> None:
        self.requests: list[int] = []  # the attempt id of every request, in order
        self.release = threading.Event()
        super().__init__(("127.0.0.1", free_port()), _GatewayHandler)


class _GatewayHandler(http.server.BaseHTTPRequestHandler):
    server: HangingGateway

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        dlr_url = query["dlr-url"][0]
        attempt = int(urllib.parse.parse_qs(urllib.parse.urlsplit(dlr_url).query)["attempt"][0])
        self.server.requests.append(attempt)
        if len(self.server.requests) == 1:
            self.server.release.wait(60)
        try:
            self.send_response(202)
            self.end_headers()
            self.wfile.write(b"0: Accepted for delivery")
        except OSError:
            pass  # the worker that asked is dead

    def log_message(self, *args: object) -> None:
        pass


def wait_until(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_mid_send_neither_loses_nor_duplicates(tmp_path):
    gateway = HangingGateway()
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    env = clean_environment(tmp_path)
    env.update(
        {
            "CFMP_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
            "CFMP_SMS_CHANNEL": "kannel",
            "CFMP_KANNEL_SENDSMS_URL": f"http://127.0.0.1:{gateway.server_port}/cgi-bin/sendsms",
            "CFMP_KANNEL_PASSWORD": "test",
            "CFMP_OUTREACH_WINDOW": "00:00-24:00",
            "CFMP_SEND_BATCH": "1",  # one task per attempt: one is caught, one still queued
            # The recovery sweep may act on anything older than now.
            "CFMP_QUEUED_TIMEOUT_MINUTES": "0",
            "CFMP_SENDING_TIMEOUT_MINUTES": "0",
        }
    )
    workers: list[subprocess.Popen] = []
    try:
        with scratch_database(tmp_path) as database_url:
            env["DATABASE_URL"] = database_url
            for command in (
                ("migrate", "--noinput"),
                ("load-demo", "--transactions", "0", "--history-weeks", "0"),
            ):
                done = cfmp(*command, env=env, cwd=tmp_path)
                assert done.returncode == 0, done.stderr
            planned = cfmp("shell", "-v", "0", "-c", PLAN_TWO_SMS, env=env, cwd=tmp_path)
            assert planned.returncode == 0, planned.stderr
            first, second = json.loads(planned.stdout)

            workers.append(start_worker(env, tmp_path))
            assert wait_until(lambda: gateway.requests), workers[0].communicate(timeout=5)[0]
            caught = gateway.requests[0]
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait(timeout=10)
            states = {row[0]: row[1] for row in attempt_rows(database_url)}
            other = second if caught == first else first
            assert states == {caught: "sending", other: "queued"}

            gateway.release.set()
            recovered = cfmp("shell", "-v", "0", "-c", RECOVER, env=env, cwd=tmp_path)
            assert recovered.returncode == 0, recovered.stderr
            workers.append(start_worker(env, tmp_path))
            assert wait_until(
                lambda: (
                    attempt_rows(database_url)[-1][1] != "queued"
                    and attempt_rows(database_url)[0][1] != "queued"
                )
            )
            time.sleep(2)  # room for a duplicate send to show itself, were there one
            rows = {row[0]: row[1:] for row in attempt_rows(database_url)}
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        gateway.shutdown()
    assert sorted(gateway.requests) == sorted([first, second])  # each sent exactly once
    assert rows[caught][0] == "unknown" and "outcome unknown" in rows[caught][1]
    assert rows[other][0] == "submitted"
