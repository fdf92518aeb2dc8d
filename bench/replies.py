"""Replies benchmark: inbound SMS through the JSON webhook, stored, matched and classified.

    .venv/bin/python bench/replies.py                  # 100,000 replies (default)
    .venv/bin/python bench/replies.py --count 10000    # a quicker run

Needs PostgreSQL and Redis on 127.0.0.1. On a scratch database it plans N surveys (SMS
only), starts CFMP's web app under gunicorn and Celery workers over Redis, then posts N
replies — texts from the labelled corpus in the shares the simulator's citizens use
(58 % satisfied, 11 % bribe, 4 % STOP…), 90 % from surveyed numbers, 10 % from unknown
ones — as signed pushes of --batch messages from --clients keep-alive connections. It
reports the rate the webhook accepted them at, and the end-to-end rate: from the first
push to the last reply's feedback stored. With --single it also times one message per
request, as a gateway that does not batch would post them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent

from intake import create_database, drop_database, say, setup_django  # noqa: E402
from outreach import prepare_cfmp, stop  # noqa: E402

from tests.channels.kannel.support import free_port, wait_for_port  # noqa: E402


def reply_bodies(count: int, *, batch: int, offset: int = 0) -> list[bytes]:
    """Signed-ready JSON bodies of `batch` replies each (one message per body if batch is
    0), message ids unique across the run."""
    from cfmp.channels.simulator.citizens import REPLY_WEIGHTS

    corpus = (ROOT / "src/cfmp/feedback/corpus/replies.tsv").read_text(encoding="utf-8")
    by_category: dict[str, list[str]] = {}
    for line in corpus.splitlines()[1:]:
        text, category = line.split("\t")[:2]
        by_category.setdefault(category, []).append(text)
    # Replies in the shares the simulator's citizens send them (most satisfied, 4 % STOP).
    draw = random.Random(offset)
    categories = draw.choices(list(REPLY_WEIGHTS), list(REPLY_WEIGHTS.values()), k=count)
    messages = []
    for n, category in zip(range(offset, offset + count), categories, strict=True):
        known = n % 10 != 9
        sender = f"0300{n % 1_000_000:07d}" if known else f"0345{n:07d}"
        texts = by_category[category]
        messages.append({"id": f"r{n}", "from": sender, "text": texts[n % len(texts)]})
    if batch == 0:
        return [json.dumps(m, ensure_ascii=False).encode() for m in messages]
    return [
        json.dumps({"messages": messages[i : i + batch]}, ensure_ascii=False).encode()
        for i in range(0, len(messages), batch)
    ]


async def _post_all(port: int, bodies: list[bytes], connections: int, sign) -> int:
    failures = 0

    async def connection(chunk: list[bytes]) -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for body in chunk:
            head = (
                f"POST /feedback/webhook/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"X-CFMP-Signature: {sign(body)}\r\n\r\n"
            ).encode()
            writer.write(head + body)
            response = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in response.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if not response.startswith((b"HTTP/1.1 200", b"HTTP/1.1 201")):
                failures += 1
        writer.close()

    await asyncio.gather(*(connection(bodies[n::connections]) for n in range(connections)))
    return failures


def wait_for_feedback(expected: int, *, stall: float = 30.0) -> float:
    """Until `expected` feedback rows exist; returns when the last was stored."""
    from cfmp.feedback.models import Feedback

    seen, progress_at = -1, time.time()
    while True:
        done = Feedback.objects.count()
        if done >= expected:
            break
        if done != seen:
            seen, progress_at = done, time.time()
        elif time.time() - progress_at > stall:
            say(f"  stalled at {done} of {expected} replies classified")
            break
        time.sleep(0.25)
    last = Feedback.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return last.timestamp() if last else time.time()


def run(port: int, *, count: int, batch: int, clients: int, offset: int = 0) -> dict:
    from cfmp.channels.webhook.auth import body_signature
    from cfmp.feedback.models import Feedback

    before = Feedback.objects.count()
    bodies = reply_bodies(count, batch=batch, offset=offset)
    started = time.time()
    failures = asyncio.run(_post_all(port, bodies, clients, body_signature))
    accepted = time.time() - started
    finished = wait_for_feedback(before + count)
    classified = Feedback.objects.count() - before
    return {
        "replies": count,
        "batch": batch or 1,
        "requests": len(bodies),
        "failures": failures,
        "accepted_per_s": count / accepted,
        "classified": classified,
        "end_to_end_per_s": classified / (finished - started),
        "seconds": finished - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100, help="Messages per webhook push.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent connections.")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes.")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes.")
    parser.add_argument(
        "--single", type=int, default=0, help="Also post this many replies one per request."
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("CFMP_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )  # fmt: skip
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    args = parser.parse_args()

    name = "cfmp_bench_replies"
    database_url = create_database(args.admin_url, name)
    directory = Path(tempfile.mkdtemp(prefix="cfmp-bench-replies-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CFMP_SECRET_KEY": "bench-" + "x" * 50,
        "CFMP_VAR_DIR": str(directory / "var"),
        "CFMP_BROKER_URL": args.broker,
        "CFMP_LOG_LEVEL": "WARNING",
        "CFMP_SIMULATOR_CITIZENS": "0",
    }
    subprocess.run([str(BIN / "cfmp"), "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-c", "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()",
         args.broker],
        check=True,
    )  # fmt: skip
    # Train the classifier once, as installation would, so workers load it.
    subprocess.run([str(BIN / "cfmp"), "classify"], input=b"1\n", env=env, check=True,
                   capture_output=True)  # fmt: skip
    setup_django(env)
    surveys = min(args.count, 1_000_000)
    say(f"{surveys:,} surveys planned (SMS only)…")
    prepare_cfmp(surveys)
    log = open(directory / "processes.log", "w")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-k", "gthread", "--threads", "8", "-w",
             str(args.web_workers), "-b", f"127.0.0.1:{port}", "cfmp.wsgi"],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        ),
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "cfmp", "worker", "--pool", "prefork",
             "--concurrency", str(args.workers), "--loglevel", "WARNING"],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        ),
    ]  # fmt: skip
    results: dict[str, object] = {"count": args.count, "workers": args.workers}
    try:
        wait_for_port(port)
        say(f"{args.count:,} replies, {args.batch} per push, {args.clients} connections…")
        results["batched"] = run(port, count=args.count, batch=args.batch, clients=args.clients)
        say(f"  {json.dumps(results['batched'])}")
        if args.single:
            say(f"{args.single:,} replies, one per request…")
            results["single"] = run(
                port, count=args.single, batch=0, clients=args.clients, offset=args.count
            )
            say(f"  {json.dumps(results['single'])}")
    finally:
        stop(processes)
        if not args.keep:
            drop_database(args.admin_url, name)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
