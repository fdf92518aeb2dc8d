"""Lists benchmark (issue 22): page 50 of a 10,000-reply feedback list, with its filters
kept, on PostgreSQL, through the real view (Django's test client: URL routing, middleware,
the FilterSet, the sort, the pager, the anonymity rule, the template).

    .venv/bin/python bench/lists.py                 # 10,000 replies (default)
    .venv/bin/python bench/lists.py --replies 50000 --keep

Needs PostgreSQL on 127.0.0.1 (CFMP_BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1/postgres).
On a scratch database it makes 12 offices in 4 districts, one transaction and one reply per
citizen spread over the last twelve months (so about a sixth are within the two months the
anonymity rule may still hold), then times, for the secretariat (identity role, exact times)
and a district officer (periods, k = 5):

    /feedback/?channel=agent&category=delay&office=<busiest>... page 50 with filters

first request (cold) and the median and 95th percentile of 20 more (warm)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from intake import create_database, drop_database, say, setup_django  # noqa: E402

ADMIN_URL = os.environ.get("CFMP_BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
NAME = os.environ.get("CFMP_BENCH_DB", "cfmp_bench_lists")


def seed(replies: int) -> dict:
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from cfmp.accounts.models import Role, User
    from cfmp.feedback.models import Feedback
    from cfmp.intake.models import SourceSystem, Transaction
    from cfmp.registry.models import Department, District, Office, Official, Service

    draw = random.Random(22)
    districts = list(District.objects.order_by("code")[:4])
    revenue = Department.objects.get(code="revenue")
    services = list(Service.objects.filter(department=revenue))
    source = SourceSystem.objects.create(code="bench", name="bench", all_offices=True)
    with transaction.atomic():
        offices = [
            Office.objects.create(code=f"B-{i}", name=f"Office {i}", department=revenue,
                                  district=districts[i % 4])
            for i in range(12)
        ]  # fmt: skip
        officials = [
            Official.objects.create(employee_code=f"E-{i}", name=f"Official {i}", office=o)
            for i, o in enumerate(offices)
        ]
        now = timezone.now()
        year = dt.timedelta(days=365)
        txs = []
        for n in range(replies):
            i = min(int(draw.paretovariate(1.2)) - 1, 11)  # a few busy offices
            at = now - year * draw.random()
            txs.append(Transaction(source=source, reference=f"R{n}", occurred_at=at,
                                   service=draw.choice(services), office=offices[i],
                                   official=officials[i], citizen_name=f"Citizen {n}",
                                   mobile=f"+92300{n:07d}"))  # fmt: skip
        Transaction.objects.bulk_create(txs, batch_size=2000)
        categories = ["satisfied"] * 6 + ["delay", "delay", "bribe", "misbehaviour"]
        made = Feedback.objects.bulk_create(
            [Feedback(channel="agent", transaction=tx, category=draw.choice(categories),
                      confidence=0.9, note=f"reply {tx.reference}") for tx in txs],
            batch_size=2000,
        )  # fmt: skip
        for item, tx in zip(made, txs, strict=True):  # replied within hours of the service
            item.created_at = tx.occurred_at + dt.timedelta(hours=draw.randint(1, 48))
        Feedback.objects.bulk_update(made, ["created_at"], batch_size=2000)
        secretariat = User.objects.create(username="bench-sec", role=Role.SECRETARIAT)
        officer = User.objects.create(username="bench-do", role=Role.DISTRICT_OFFICER,
                                      district=offices[0].district)  # fmt: skip
    return {"secretariat": secretariat, "officer": officer, "office": offices[0]}


def measure(client, url: str, runs: int) -> tuple[float, float, float, float, int]:
    """Wall time cold, then warm median and p95, and the warm median of the web process's
    own CPU time (what the machine's other load does not lengthen)."""
    start = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    return cold, statistics.median(times), p95, statistics.median(cpu), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = create_database(ADMIN_URL, NAME)
    env = {"DATABASE_URL": url, "CFMP_ANONYMITY_K": "5", "CFMP_DEBUG": "0",
           "CFMP_SECRET_KEY": "bench-" + "x" * 50, "CFMP_ALLOWED_HOSTS": "testserver"}  # fmt: skip
    setup_django(env)
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    say("migrating")
    call_command("migrate", verbosity=0)
    say(f"seeding {args.replies:,} replies")
    made = seed(args.replies)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        for who, since in (("secretariat", "2000-01-01"), ("officer", "2000-01")):
            client = Client()
            client.force_login(made[who])
            first = client.get("/feedback/?channel=agent&since=" + since).content.decode()
            total = first.split(" rows</span>")[0].rsplit(">", 1)[-1]
            page = f"/feedback/?channel=agent&since={since}&sort=-received&page=50"
            cold, median, p95, cpu, size = measure(client, page, args.runs)
            assert "channel=agent" in client.get(page).content.decode()  # filters kept
            say(f"{who}: {total} rows listed; page 50 cold {cold * 1000:.0f} ms, warm "
                f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, web CPU median "
                f"{cpu * 1000:.0f} ms ({size:,} bytes)")  # fmt: skip
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(ADMIN_URL, NAME)


if __name__ == "__main__":
    main()
