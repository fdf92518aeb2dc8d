"""The public scorecard page under load, served by gunicorn from the cache (issue 23).

    .venv/bin/python bench/public.py                       # 30 s, 2 workers, 4 clients
    .venv/bin/python bench/public.py --seconds 10 --workers 4 --clients 8 --offices 500

On a scratch SQLite database in a temporary directory it migrates, publishes every
department and writes a year of rollups for `--offices` offices (DailyCount rows, weeks and
months recounted as `rollups` would), then starts gunicorn (`cfmp.wsgi`, as a deployment
does: DEBUG off, its own secret key) and measures:

1. the first request of the scorecard page (/public/en/): the figures computed from the
   rollups and the page rendered (a miss);
2. requests per second for the same page from the cache, by `--clients` client processes
   each sending requests one after another over keep-alive connections (gunicorn's gthread
   worker) for `--seconds`; every answer is checked (200, the same length as the first).

The clients run on the same machine and take their share of its cores, so the figure is a
lower bound of what the server alone would do. The load average before and after is printed:
other work on the machine lowers the figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PATH = "/public/en/"


def say(message: str) -> None:
    print(message, flush=True)


def prepare(env: dict[str, str], *, offices: int, days: int) -> None:
    """Migrate, publish, and write `days` days of rollups for `offices` offices."""
    import datetime as dt

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cfmp.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from cfmp.registry.models import Department, District, Office, Service
    from cfmp.reports.models import DailyCount
    from cfmp.reports.rollups import recount_all_periods

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    Department.objects.update(published=True)
    departments = list(Department.objects.all())
    districts = list(District.objects.all())
    services = {d.pk: list(Service.objects.filter(department=d)) for d in departments}
    rng = random.Random(23)
    made = Office.objects.bulk_create(
        Office(
            code=f"B-{n:05d}",
            name=f"Bench office {n}",
            department=departments[n % len(departments)],
            district=districts[n % len(districts)],
        )
        for n in range(offices)
    )
    rows = []
    today = timezone.localdate()
    for office in made:
        service = services[office.department_id][0] if services[office.department_id] else None
        for back in range(1, days + 1):
            replies = rng.randint(0, 4)
            if not replies:
                continue
            bribe = rng.random() < 0.1
            rows.append(
                DailyCount(
                    day=today - dt.timedelta(days=back),
                    office=office,
                    service=service,
                    department_id=office.department_id,
                    district_id=office.district_id,
                    contacted=replies * 8,
                    responded=replies,
                    feedback=replies,
                    satisfied=replies - int(bribe),
                    bribe=int(bribe),
                )
            )
    DailyCount.objects.bulk_create(rows, batch_size=5000)
    recount_all_periods()
    say(f"   {offices} offices, {len(rows)} rollup rows over {days} days")


def request_bytes(host: str, port: int) -> bytes:
    return f"GET {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode()


def read_response(sock: socket.socket, buffer: bytes) -> tuple[int, int, bytes, bool]:
    """(status, body length, what is left in the buffer, whether the server keeps the
    connection open) of one response."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the headers")
        buffer += chunk
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in lines[1:])
    }
    length = int(headers.get(b"content-length", b"0"))
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        buffer += chunk
    keep = headers.get(b"connection", b"").lower() != b"close"
    return status, length, buffer[length:], keep


def client(host: str, port: int, seconds: float, expected: int, out) -> None:
    request = request_bytes(host, port)
    done = errors = 0
    deadline = time.perf_counter() + seconds
    sock = None
    buffer = b""
    while time.perf_counter() < deadline:
        if sock is None:
            sock = socket.create_connection((host, port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buffer = b""
        try:
            sock.sendall(request)
            status, length, buffer, keep = read_response(sock, buffer)
        except (ConnectionError, OSError):
            sock.close()
            sock = None
            errors += 1
            continue
        if status == 200 and length == expected:
            done += 1
        else:
            errors += 1
        if not keep:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    out.put((done, errors))


def get(host: str, port: int) -> tuple[int, int, float]:
    started = time.perf_counter()
    with socket.create_connection((host, port)) as sock:
        sock.sendall(request_bytes(host, port))
        status, length, _, _ = read_response(sock, b"")
    return status, length, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="cfmp-bench-public-"))
    port = args.port or _free_port()
    env = {
        "CFMP_VAR_DIR": str(scratch),
        "DATABASE_URL": f"sqlite:///{scratch / 'cfmp.sqlite3'}",
        "CFMP_SECRET_KEY": secrets.token_urlsafe(50),
        "CFMP_DEBUG": "0",
        "CFMP_ALLOWED_HOSTS": "127.0.0.1",
        "CFMP_LOG_LEVEL": "WARNING",
    }
    say(f"== preparing {scratch}")
    prepare(env, offices=args.offices, days=args.days)
    say(f"== gunicorn cfmp.wsgi: {args.workers} workers × {args.threads} threads (gthread)")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "cfmp.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--threads", str(args.threads),
            "--worker-class", "gthread", "--keep-alive", "5", "--log-level", "warning",
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        cwd=scratch,
    )  # fmt: skip
    try:
        _wait_for(port)
        status, length, first = get("127.0.0.1", port)
        assert status == 200, status
        say(f"1. first request (figures computed, page rendered): {first * 1000:.0f} ms")
        for _ in range(args.workers * 20):  # every worker's own cache warmed
            assert get("127.0.0.1", port)[:2] == (200, length)
        load_before = os.getloadavg()
        out: multiprocessing.Queue = multiprocessing.Queue()
        clients = [
            multiprocessing.Process(
                target=client, args=("127.0.0.1", port, args.seconds, length, out)
            )
            for _ in range(args.clients)
        ]
        started = time.perf_counter()
        for process in clients:
            process.start()
        results = [out.get() for _ in clients]
        elapsed = time.perf_counter() - started
        for process in clients:
            process.join()
        done = sum(r[0] for r in results)
        errors = sum(r[1] for r in results)
        load_after = os.getloadavg()
        rate = done / elapsed
        say(
            f"2. from the cache: {done} pages of {length} bytes in {elapsed:.1f} s = "
            f"{rate:.0f} requests/s ({errors} errors), {args.clients} clients"
        )
        say(f"   load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
        say(json.dumps({"requests_per_second": round(rate), "errors": errors, "bytes": length}))
    finally:
        server.terminate()
        server.wait(10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    main()
