"""Outreach benchmark: SMS end to end through a real Kannel, against Kannel's own ceiling.

    .venv/bin/python bench/outreach.py                  # 100,000 SMS (default)
    .venv/bin/python bench/outreach.py --count 10000    # a quicker run

Needs the Debian package kannel (`make system-deps`), PostgreSQL and Redis on 127.0.0.1.
It starts a Kannel (bearerbox + smsbox, fakesmsc playing the operator's SMSC) on loopback,
with delivery reports on (CFMP's dlr-mask, 19: delivered, undeliverable, rejected), and
measures in the same run:

1. Kannel's ceiling: N direct `sendsms` calls from 128 concurrent clients (Kannel answers
   each call in ~40 ms whatever the load, so its rate grows with concurrency until it
   saturates), each with the same dlr-mask and a dlr-url pointing at a minimal HTTP sink
   (no CFMP): from the first call to the last "delivered" report received;
2. CFMP end to end: N transactions planned into surveys (timed on their own), then every
   attempt queued (the scheduler's function), sent by Celery workers over Redis, accepted
   by Kannel, and its delivery report received by CFMP's receiver (`cfmp
   serve-delivery-reports`) and stored: from the first queueing to the last attempt stored
   as delivered. Reported as a ratio of (1);
3. CPU per SMS, read from /proc (bench/cpu.py), which does not depend on what else shares
   the machine: Kannel's own (bearerbox and smsbox) at its ceiling in (1), and CFMP's whole
   path in (2) — planning and queueing (this process), the Celery workers, the report
   receiver and the PostgreSQL backends serving them — counted from after their start;
4. the delivery-report endpoint alone: a signed report for each of the N attempts fired at
   it by 64 keep-alive connections; for comparison the WSGI endpoint under gunicorn, with
   group commits on and off.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent

from cpu import Meter  # noqa: E402
from intake import create_database, drop_database, say, setup_django  # noqa: E402

from tests.channels.kannel.support import free_port, start_kannel, wait_for_port  # noqa: E402

DLR_MASK = 19  # as cfmp.channels.kannel.adapter.DLR_MASK (imported after Django starts)

SINK = r"""
import http.server, json, sys, threading, time
counts, last = {}, [0.0]
lock = threading.Lock()
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn serves CFMP's endpoint
    def do_GET(self):
        if self.path.startswith("/stats"):
            body = json.dumps({"counts": counts, "last": last[0]}).encode()
        else:
            kind = self.path.rsplit("type=", 1)[-1]
            with lock:
                counts[kind] = counts.get(kind, 0) + 1
                last[0] = time.time()
            body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer.request_queue_size = 2048  # gunicorn's backlog
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
"""


def sendsms_query(kannel, *, to: str, text: str, dlr_url: str) -> str:
    return "/cgi-bin/sendsms?" + urllib.parse.urlencode(
        {
            "username": kannel.username,
            "password": kannel.password,
            "from": "8070",
            "to": to,
            "text": text,
            "charset": "UTF-8",
            "coding": "0",
            "dlr-mask": str(DLR_MASK),
            "dlr-url": dlr_url,
        }
    )


def wait_for_reports(sink_port: int, *, expected: int, stall: float = 30.0) -> dict:
    """The sink's counts once `expected` delivered reports arrived, or nothing more came
    for `stall` seconds."""
    seen, progress_at = -1, time.time()
    while True:
        with urllib.request.urlopen(f"http://127.0.0.1:{sink_port}/stats") as reply:
            stats = json.loads(reply.read())
        delivered = stats["counts"].get("1", 0)
        if delivered >= expected:
            return stats
        if delivered != seen:
            seen, progress_at = delivered, time.time()
        elif time.time() - progress_at > stall:
            say(f"  stalled at {delivered} of {expected} delivery reports")
            return stats
        time.sleep(0.5)


def kannel_ceiling(kannel, *, count: int, clients: int) -> dict:
    """Direct sendsms calls into Kannel with delivery reports to a bare sink."""
    sink_port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(sink_port)])
    wait_for_port(sink_port)
    parts = urllib.parse.urlsplit(kannel.sendsms_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    per_client = [range(n, count, clients) for n in range(clients)]
    refused = []

    def client(numbers: range) -> None:
        # A kept-alive connection per client, as CFMP's Kannel adapter keeps per thread.
        connection = http.client.HTTPConnection(host, port, timeout=30)
        for n in numbers:
            dlr = f"http://127.0.0.1:{sink_port}/dlr?id={n}&type=%d"
            query = sendsms_query(
                kannel, to=f"+92300{n:07d}", text=f"CFMP benchmark {n}", dlr_url=dlr
            )
            try:
                connection.request("GET", query)
                reply = connection.getresponse()
                body = reply.read()
            except (OSError, http.client.HTTPException) as problem:
                body = repr(problem).encode()
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            if not body.startswith((b"0:", b"3:")):
                refused.append(body)
        connection.close()

    started = time.time()
    threads = [threading.Thread(target=client, args=(numbers,)) for numbers in per_client]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted_in = time.time() - started
    stats = wait_for_reports(sink_port, expected=count - len(refused))
    sink.terminate()
    elapsed = stats["last"] - started
    return {
        "count": count,
        "refused": len(refused),
        "refusals": sorted({r[:80].decode("utf-8", "replace") for r in refused})[:3],
        "accept_per_s": count / accepted_in,
        "end_to_end_per_s": count / elapsed,
        "seconds": elapsed,
        "reports": stats["counts"],
    }


def prepare_cfmp(count: int) -> None:
    """N transactions (intake's work, not measured here)."""
    from django.utils import timezone

    from cfmp.core.demo import demo_source, load_demo_registry
    from cfmp.intake.services import ingest_transactions
    from cfmp.intake.validation import TransactionInput
    from cfmp.outreach.models import ChannelSetting, SurveyPlan

    load_demo_registry()
    SurveyPlan.objects.update_or_create(
        is_default=True,
        service=None,
        defaults={
            "robocall": False,
            "manual_call_rate": 0,
            "sms_delay": dt.timedelta(0),
            "language": "en",
        },
    )
    ChannelSetting.objects.update_or_create(
        channel="sms", defaults={"daily_capacity": 10 * count, "rate_per_second": 2000}
    )
    now = timezone.now()
    items = (
        (
            n,
            TransactionInput(
                reference=f"B{n}",
                occurred_at=now - dt.timedelta(minutes=5),
                service="domicile",
                office="MUL-REV-DOM",
                citizen_name=f"Citizen {n}",
                mobile=f"0300{n:07d}",
            ),
        )
        for n in range(count)
    )
    ingest_transactions(source=demo_source(), items=items)


def plan_cfmp(count: int) -> float:
    """The planner's surveys for the transactions ingested; returns the planning rate."""
    from django.utils import timezone

    from cfmp.outreach.services import plan_surveys

    now = timezone.now()
    started = time.perf_counter()
    while plan_surveys(now=now, batch_size=5000):
        pass
    return count / (time.perf_counter() - started)


def start_processes(env: dict[str, str], *, dlr_port: int, workers: int) -> list[subprocess.Popen]:
    receiver = subprocess.Popen(
        [str(BIN / "cfmp"), "serve-delivery-reports", f"127.0.0.1:{dlr_port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["CFMP_VAR_DIR"]).parent / "gunicorn.log", "w"),  # noqa: SIM115
    )
    worker = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "cfmp",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(workers),
            "--loglevel",
            "INFO",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["CFMP_VAR_DIR"]).parent / "worker.log", "w"),  # noqa: SIM115
    )
    wait_for_port(dlr_port)
    return [receiver, worker]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def cfmp_end_to_end(count: int) -> dict:
    from django.db.models import Count

    from cfmp.outreach.dispatch import queue_due_attempts
    from cfmp.outreach.models import ContactAttempt

    started = time.time()
    while queue_due_attempts(limit=2000):
        time.sleep(0.2)  # the scheduler's own loop, run faster than beat would
    queued_in = time.time() - started
    states: dict[str, int] = {}
    seen, progress_at = -1, time.time()
    while True:
        states = dict(
            ContactAttempt.objects.values_list("state").annotate(n=Count("id")).order_by()
        )
        done = states.get("delivered", 0) + states.get("failed", 0)
        if done >= count:
            break
        if done != seen:
            seen, progress_at = done, time.time()
        elif time.time() - progress_at > 30:
            say(f"  stalled at {done} of {count} attempts finished: {states}")
            break
        time.sleep(0.5)
    last = ContactAttempt.objects.order_by("-finished_at").values_list("finished_at", flat=True)
    elapsed = last[0].timestamp() - started
    return {
        "count": count,
        "states": states,
        "queued_in_s": queued_in,
        "end_to_end_per_s": states.get("delivered", 0) / elapsed,
        "seconds": elapsed,
    }


async def _fire(port: int, paths: list[bytes], connections: int) -> int:
    failures = 0

    async def connection(chunk: list[bytes]) -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for path in chunk:
            writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: bench\r\n\r\n")
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                failures += 1
        writer.close()

    await asyncio.gather(*(connection(paths[n::connections]) for n in range(connections)))
    return failures


SERVERS = {
    # cfmp serve-delivery-reports: asyncio, group commits (what Kannel is pointed at)
    "receiver": lambda port: [str(BIN / "cfmp"), "serve-delivery-reports", f"127.0.0.1:{port}"],
    # the WSGI endpoint under gunicorn, for comparison (batched unless turned off)
    "gunicorn": lambda port: [str(BIN / "gunicorn"), "-k", "gthread", "--threads", "32",
                              "-w", "2", "-b", f"127.0.0.1:{port}", "cfmp.channels.kannel.wsgi"],
}  # fmt: skip


def endpoint_capacity(
    env: dict[str, str], *, server: str, batched: bool = True, connections: int = 64
) -> dict:
    from cfmp.channels.kannel.adapter import attempt_signature
    from cfmp.outreach.models import ContactAttempt

    ContactAttempt.objects.update(state="submitted", finished_at=None)
    ids = list(ContactAttempt.objects.values_list("pk", flat=True))
    paths = [
        f"/outreach/kannel/dlr?attempt={pk}&sig={attempt_signature(pk)}&type=1".encode()
        for pk in ids
    ]
    port = free_port()
    server_env = {**env, "CFMP_BATCH_DELIVERY_REPORTS": "1" if batched else "0"}
    process = subprocess.Popen(
        SERVERS[server](port), env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        started = time.perf_counter()
        failures = asyncio.run(_fire(port, paths, connections))
        elapsed = time.perf_counter() - started
    finally:
        stop([process])
    stored = ContactAttempt.objects.filter(state="delivered").count()
    return {
        "server": server,
        "batched": batched,
        "callbacks": len(paths),
        "failures": failures,
        "per_s": len(paths) / elapsed,
        "stored_delivered": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=3, help="Celery worker processes.")
    parser.add_argument(
        "--send-batch", type=int, default=100, help="CFMP_SEND_BATCH: attempts per send task."
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=128,
        help="Concurrent sendsms clients measuring Kannel's ceiling (Kannel answers each "
        "request in ~40 ms, so its rate grows with concurrency until it saturates).",
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("CFMP_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )  # fmt: skip
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument(
        "--no-endpoints",
        dest="endpoints",
        action="store_false",
        help="Skip measuring the delivery-report endpoints alone.",
    )
    args = parser.parse_args()

    name = "cfmp_bench_outreach"
    database_url = create_database(args.admin_url, name)
    directory = Path(tempfile.mkdtemp(prefix="cfmp-bench-outreach-"))
    dlr_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CFMP_SECRET_KEY": "bench-" + "x" * 50,
        "CFMP_VAR_DIR": str(directory / "var"),
        "CFMP_BROKER_URL": args.broker,
        "CFMP_SMS_CHANNEL": "kannel",
        "CFMP_KANNEL_PASSWORD": "test-password",
        "CFMP_OUTREACH_WINDOW": "00:00-24:00",
        "CFMP_DLR_BASE_URL": f"http://127.0.0.1:{dlr_port}",
        "CFMP_LOG_LEVEL": "WARNING",
        "CFMP_SEND_BATCH": str(args.send_batch),
    }
    kannel = start_kannel(directory)
    env["CFMP_KANNEL_SENDSMS_URL"] = kannel.sendsms_url
    subprocess.run([str(BIN / "cfmp"), "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-c", "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()",
         args.broker],
        check=True,
    )  # fmt: skip
    setup_django(env)
    results: dict[str, object] = {
        "count": args.count,
        "workers": args.workers,
        "send_batch": args.send_batch,
        "clients": args.clients,
    }
    try:
        say(f"Kannel's ceiling: {args.count:,} direct sendsms calls, {args.clients} clients…")
        # bearerbox and smsbox; fakesmsc plays the operator and is not Kannel's cost
        kannel_groups = {"kannel": [kannel.processes[0].pid, kannel.processes[2].pid]}
        kannel_meter = Meter(kannel_groups)
        kannel_meter.start()
        results["kannel"] = kannel_ceiling(kannel, count=args.count, clients=args.clients)
        kannel_meter.stop()
        say(f"  {json.dumps(results['kannel'])}")

        say(f"CFMP: {args.count:,} transactions…")
        prepare_cfmp(args.count)
        processes = start_processes(env, dlr_port=dlr_port, workers=args.workers)
        time.sleep(5)  # the workers and the receiver have started: their start is not counted
        cfmp_meter = Meter(
            {"workers": [processes[1].pid], "report receiver": [processes[0].pid]},
            database=name,
        )
        kannel_meanwhile = Meter(kannel_groups)
        cfmp_meter.start()
        kannel_meanwhile.start()
        try:
            say("CFMP: planned into surveys…")
            results["planned_per_s"] = plan_cfmp(args.count)
            say(f"  planned {results['planned_per_s']:,.0f} surveys/s")
            say("CFMP end to end: queued → sent by workers → Kannel → delivery report stored…")
            results["cfmp"] = cfmp_end_to_end(args.count)
        finally:
            cfmp_meter.stop()
            kannel_meanwhile.stop()
            stop(processes)
        say(f"  {json.dumps(results['cfmp'])}")
        ratio = results["cfmp"]["end_to_end_per_s"] / results["kannel"]["end_to_end_per_s"]
        results["ratio"] = ratio
        say(f"  CFMP end to end = {ratio:.0%} of Kannel's own ceiling (wall clock)")
        results["cpu_ms_per_sms"] = {
            "kannel_at_its_ceiling": kannel_meter.per_message_ms(args.count)["total"],
            "cfmp_whole_path": cfmp_meter.per_message_ms(args.count),
            "kannel_during_cfmp_run": kannel_meanwhile.per_message_ms(args.count)["total"],
        }
        say(
            f"  CPU per SMS: CFMP's whole path (plan, queue, send, receive and store the "
            f"report, database included) "
            f"{results['cpu_ms_per_sms']['cfmp_whole_path']['total']:.2f} ms; Kannel's own "
            f"at its ceiling {results['cpu_ms_per_sms']['kannel_at_its_ceiling']:.2f} ms"
        )
        say(f"  {json.dumps(results['cpu_ms_per_sms'])}")

        endpoints = (
            ("receiver", "receiver", True),
            ("gunicorn_batched", "gunicorn", True),
            ("gunicorn_direct", "gunicorn", False),
        )
        for label, server, batched in endpoints if args.endpoints else ():
            say(f"Delivery-report endpoint alone: {label}…")
            outcome = endpoint_capacity(env, server=server, batched=batched)
            results[f"endpoint_{label}"] = outcome
            say(f"  {json.dumps(outcome)}")
    finally:
        kannel.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.admin_url, name)
    say(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
