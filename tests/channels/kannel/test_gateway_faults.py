"""Faults on the real path, as a deployment runs it: PostgreSQL, Celery on Redis, a real
Kannel (bearerbox, smsbox, fakesmsc as the operator's SMSC) configured by `KannelConfig`, and
CFMP's delivery-report receiver as its own process. A receiver down for 30 seconds during
1,000 sends, a worker killed with SIGKILL mid-batch, the gateway stopped and restarted.

After recovery, what the operator's log shows and what CFMP counts must agree: every number
received at most one survey; each number that received one is contacted; every attempt
reported delivered ends delivered; none is left "submitted" or "sending"; the catalogue's
contacted equals the numbers the operator received."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest

from tests.channels.kannel.support import Kannel, free_port, start_kannel, wait_for_port
from tests.processes import CFMP, cfmp, clean_environment, query_all, scratch_database, spawn

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="fault injection runs on PostgreSQL and Redis, as deployed (make test-postgres)",
)

SECRET = "fault-tests-secret"

PLAN = """
import datetime as dt, json
from django.utils import timezone
from cfmp.core.demo import demo_source
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach.dispatch import queue_due_attempts
from cfmp.outreach.models import ChannelSetting
from cfmp.outreach.services import plan_surveys
ChannelSetting.objects.update_or_create(channel="sms", defaults={{"rate_per_second": {rate}}})
now = timezone.now()
ingest_transactions(source=demo_source(), items=[
    (n, TransactionInput(reference=f"F{{n}}", occurred_at=now - dt.timedelta(minutes=5),
                         service="fard", office="LHR-REV-AIT", citizen_name="Citizen",
                         mobile=f"0300-{{n:07d}}"))
    for n in range({count})])
while plan_surveys(now=now):
    pass
print(json.dumps(len(queue_due_attempts(now=now, limit={count}))))
"""

MEANT = """
import json
from cfmp.outreach.dispatch import render_text
from cfmp.outreach.models import ContactAttempt
print(json.dumps({a.survey.mobile: render_text(a) for a in ContactAttempt.objects.select_related(
    "survey__plan", "survey__transaction__service", "survey__transaction__office")}))
"""
RECOVER = "from cfmp.outreach.dispatch import recover_attempts; print(recover_attempts())"
RECOVER_AND_QUEUE = (
    "from cfmp.outreach.dispatch import queue_due_attempts, recover_attempts; "
    "recover_attempts(); queue_due_attempts()"
)
CONTACTED = (
    "from cfmp.reports.rollups import rebuild_rollups; rebuild_rollups(); "
    "from cfmp.reports.models import DailyCount; from django.db.models import Sum; "
    "import json; print(json.dumps(DailyCount.objects.aggregate(c=Sum('contacted'), "
    "r=Sum('reached'))))"
)


def redis_url(tmp_path: Path) -> str:
    base = os.environ.get("CFMP_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    return f"{base.rstrip('/')}/{1 + zlib.crc32(str(tmp_path).encode()) % 15}"


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


class Deployment:
    """CFMP's processes around one Kannel, on a scratch database and a Redis broker."""

    def __init__(self, tmp_path: Path, database_url: str, kannel: Kannel) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.kannel = kannel
        self.dlr_port = free_port()
        self.env = clean_environment(tmp_path)
        self.env.update(
            {
                "DATABASE_URL": database_url,
                "CFMP_BROKER_URL": redis_url(tmp_path),
                "CFMP_SMS_CHANNEL": "kannel",
                "CFMP_KANNEL_SENDSMS_URL": kannel.sendsms_url,
                "CFMP_KANNEL_USERNAME": kannel.username,
                "CFMP_KANNEL_PASSWORD": kannel.password,
                "CFMP_DLR_BASE_URL": f"http://127.0.0.1:{self.dlr_port}",
                "CFMP_WEBHOOK_SECRET": SECRET,
                "CFMP_OUTREACH_WINDOW": "00:00-24:00",
                "CFMP_QUEUED_TIMEOUT_MINUTES": "0",
                "CFMP_SENDING_TIMEOUT_MINUTES": "0",
                "CFMP_RETRY_BACKOFF_MINUTES": "1",
            }
        )
        self.workers: list[subprocess.Popen] = []
        self.receiver: subprocess.Popen | None = None

    def run(self, *args: str) -> str:
        done = cfmp(*args, env=self.env, cwd=self.tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def prepare(self, count: int, *, rate: int) -> int:
        self.run("migrate", "--noinput")
        self.run("load-demo", "--transactions", "0", "--history-weeks", "0")
        self.run("plans", "set", "default", "--robocall", "off", "--sms-delay", "0s",
                 "--call-centre-sample", "0")  # fmt: skip
        subprocess.run(
            ["redis-cli", "-u", self.env["CFMP_BROKER_URL"], "FLUSHDB"], capture_output=True
        )
        return json.loads(self.run("shell", "-v", "0", "-c", PLAN.format(count=count, rate=rate)))

    def start_receiver(self) -> None:
        self.receiver = spawn(
            CFMP, "serve-delivery-reports", f"127.0.0.1:{self.dlr_port}",
            env=self.env, cwd=self.tmp_path,
        )  # fmt: skip
        wait_for_port(self.dlr_port)

    def kill_receiver(self) -> None:
        assert self.receiver is not None
        self.receiver.kill()
        self.receiver.wait(timeout=10)

    def start_worker(self) -> subprocess.Popen:
        """A prefork worker, as deployed, in its own process group (to kill it whole)."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cfmp", "worker", "--concurrency", "2",
             "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip",
             "--without-mingle"],
            env=self.env, cwd=self.tmp_path, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """SIGKILL to the worker and its pool processes at once: no task finishes."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def recover(self) -> None:
        self.run("shell", "-v", "0", "-c", RECOVER)

    def attempts(self) -> list[tuple]:
        return query_all(
            self.database_url,
            "SELECT a.id, a.state, a.submitted_at IS NOT NULL, s.mobile, a.try_number "
            "FROM outreach_contactattempt a JOIN outreach_survey s ON s.id = a.survey_id "
            "ORDER BY a.id",
        )

    def states(self) -> Counter:
        return Counter(row[1] for row in self.attempts())

    def settled(self) -> bool:
        states = self.states()
        return not (states["queued"] or states["sending"] or states["submitted"])

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for process in [*self.workers, self.receiver]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def received_numbers(kannel: Kannel) -> Counter:
    return Counter(receiver for _, receiver, _ in kannel.received())


def assert_cfmp_agrees_with_the_operator(deployment: Deployment, kannel: Kannel) -> None:
    at_operator = received_numbers(kannel)
    assert max(at_operator.values()) == 1, "a citizen was asked twice"
    rows = deployment.attempts()
    contacted = {mobile for _, _, submitted, mobile, _ in rows if submitted}
    delivered = {mobile for _, state, _, mobile, _ in rows if state == "delivered"}
    assert contacted == set(at_operator), "contacted differs from the operator's log"
    assert delivered == set(at_operator), "a delivered message is not delivered in CFMP"
    catalogue = json.loads(deployment.run("shell", "-v", "0", "-c", CONTACTED))
    assert catalogue == {"c": len(at_operator), "r": len(delivered)}


@pytest.fixture
def deployment(tmp_path):
    (tmp_path / "kannel").mkdir()
    kannel = start_kannel(tmp_path / "kannel", retries=40, retry_delay=2)
    with scratch_database(tmp_path) as database_url:
        running = Deployment(tmp_path, database_url, kannel)
        try:
            yield running
        finally:
            running.stop()
            kannel.stop()


def test_a_receiver_outage_of_30_seconds_during_1000_sends_loses_no_report(deployment):
    assert deployment.prepare(1000, rate=100) == 1000  # ten seconds of sending
    deployment.start_receiver()
    deployment.start_worker()
    assert wait_until(lambda: deployment.states()["delivered"] >= 100, 60)
    deployment.kill_receiver()
    outage_started = time.monotonic()
    assert wait_until(lambda: time.monotonic() - outage_started >= 30, 31)
    assert deployment.states()["submitted"] > 0  # reports are waiting at the gateway
    deployment.start_receiver()
    assert wait_until(deployment.settled, 120), deployment.states()
    assert deployment.states() == Counter({"delivered": 1000})
    assert len(deployment.kannel.received()) == 1000
    # Each citizen's survey arrived whole: the Urdu text, in several parts, reassembled.
    meant = json.loads(deployment.run("shell", "-v", "0", "-c", MEANT))
    assert {to: text for _, to, text in deployment.kannel.received()} == meant
    assert min(len(text) for text in meant.values()) > 180
    assert_cfmp_agrees_with_the_operator(deployment, deployment.kannel)


def test_a_worker_killed_mid_batch_neither_asks_twice_nor_miscounts(deployment):
    assert deployment.prepare(400, rate=50) == 400
    deployment.start_receiver()
    worker = deployment.start_worker()
    assert wait_until(lambda: deployment.states()["delivered"] >= 100, 60)
    deployment.kill_worker(worker)
    time.sleep(2)  # reports of what the gateway took before the kill still arrive
    deployment.recover()  # caught mid-send: unknown; lost tasks: queued again
    deployment.start_worker()
    assert wait_until(deployment.settled, 120), deployment.states()
    time.sleep(3)  # room for a late report or a duplicate send to show itself
    deployment.recover()
    assert_cfmp_agrees_with_the_operator(deployment, deployment.kannel)
    unsent = deployment.states()["unknown"]
    assert len(deployment.kannel.received()) + unsent == 400


def test_the_gateway_stopped_and_restarted_mid_sending_asks_nobody_twice(deployment):
    deployment.env["CFMP_REPORT_WAIT_HOURS"] = "0.01"  # 36 seconds
    assert deployment.prepare(300, rate=30) == 300  # ten seconds of sending
    deployment.start_receiver()
    deployment.start_worker()
    assert wait_until(lambda: deployment.states()["delivered"] >= 60, 60)
    deployment.kannel.stop_gateway()
    time.sleep(5)  # sends meanwhile fail ("Kannel unreachable") and are retried later
    deployment.kannel.start_gateway()
    assert deployment.states()["failed"] > 0

    # The retries come after CFMP_RETRY_BACKOFF_MINUTES (1); reports the gateway lost in its
    # restart make their messages "sent, no report" after CFMP_REPORT_WAIT_HOURS.
    def done() -> bool:
        deployment.run("shell", "-v", "0", "-c", RECOVER_AND_QUEUE)  # the scheduler's work
        return deployment.settled() and not deployment.states()["planned"]

    assert wait_until(done, 180), deployment.states()
    assert_reached_or_unconfirmed(deployment, deployment.kannel)


def assert_reached_or_unconfirmed(deployment: Deployment, kannel: Kannel) -> None:
    at_operator = received_numbers(kannel)
    assert set(at_operator.values()) == {1}, "a citizen was asked twice"
    rows = deployment.attempts()
    contacted = {mobile for _, _, submitted, mobile, _ in rows if submitted}
    assert contacted == set(at_operator)
    final = {mobile: state for _, state, submitted, mobile, _ in rows if submitted}
    assert set(final.values()) <= {"delivered", "unconfirmed"}
    # A send whose answer the stopping gateway lost (under load, a request already on its
    # way) is 'outcome unknown', shown as such and never retried blind: every citizen is
    # either at the operator or counted there, none silently dropped.
    latest = {mobile: state for _, state, _, mobile, _ in rows}  # ordered by id: last try
    unknown = {mobile for mobile, state in latest.items() if state == "unknown"}
    assert not unknown & set(at_operator)
    assert len(at_operator) + len(unknown) == 300
    delivered = sum(1 for state in final.values() if state == "delivered")
    catalogue = json.loads(deployment.run("shell", "-v", "0", "-c", CONTACTED))
    assert catalogue == {"c": len(at_operator), "r": delivered}
