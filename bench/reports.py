"""Reports benchmark at CFMP's published scale: 11.18 million transactions, 8.6 million
citizens contacted, 1.12 million replies.

    .venv/bin/python bench/reports.py                     # the published scale (default)
    .venv/bin/python bench/reports.py --transactions 1000000 --keep   # smaller, keep the DB

Needs PostgreSQL on 127.0.0.1. On a scratch database it builds the synthetic registry of
bench/intake.py (offices skewed by a Zipf law, several officials each), generates the rows
inside PostgreSQL (generate_series; three years of services, offices and categories
skewed as CFMP's were), then measures:

1. the full rollup rebuild, and one day's rollup update (cold: the first recompute of that
   day; warm: again);
2. every catalogue report (288) over its default period ending on the last day of data:
   the first run (cold) and the 95th percentile of five more (warm);
3. the same aggregates as hand-written SQL on the raw tables, for a sample of reports,
   and that both give the same numbers;
4. the command centre page, as the secretariat opens it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent

from intake import build_registry, create_database, drop_database, say, setup_django  # noqa: E402

DAYS = 1096  # three years of services
FIRST_DAY = dt.date(2023, 1, 1)
# Shares of replies by category (CFMP's: 178,160 complaints in 1.12 million responses).
CATEGORY_CUTS = [  # cumulative
    (0.80, "satisfied"), (0.86, "bribe"), (0.91, "delay"), (0.94, "misbehaviour"),
    (0.96, "other_complaint"), (0.97, "not_availed"), (0.985, "opt_out"), (1.0, "unclear"),
]  # fmt: skip


def generate(
    database_url: str, *, transactions: int, replies: int, contacted: int, days: int = DAYS
) -> dict:
    """All rows made inside PostgreSQL; returns seconds per table."""
    import psycopg

    timings = {}
    case = " ".join(f"WHEN r < {cut} THEN '{name}'" for cut, name in CATEGORY_CUTS)
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute("""
            CREATE TEMP TABLE bench_office AS
            SELECT row_number() OVER (ORDER BY o.id) - 1 AS idx, o.id AS office_id,
                   (SELECT min(id) FROM registry_official f WHERE f.office_id = o.id) AS first_official,
                   (SELECT count(*) FROM registry_official f WHERE f.office_id = o.id) AS officials,
                   (SELECT min(s.id) FROM registry_service s WHERE s.department_id = o.department_id) AS service
            FROM registry_office o
        """)  # fmt: skip
        offices = db.execute("SELECT count(*) FROM bench_office").fetchone()[0]
        source = db.execute("SELECT id FROM intake_sourcesystem WHERE code = 'bench'").fetchone()[0]
        started = time.perf_counter()
        # Office by a power law (a few big offices, many small), time spread over three years.
        db.execute(f"""
            INSERT INTO intake_transaction (source_id, reference, occurred_at, service_id,
                office_id, official_id, citizen_name, mobile_raw, mobile, sms_block,
                cnic_digest, cnic_sealed, cnic_last4, quality_flags, created_at)
            SELECT {source}, 'T' || g, ts, b.service, b.office_id,
                   b.first_official + (hashint % b.officials), 'Citizen', '', '+923' || lpad((g % 1000000000)::text, 9, '0'),
                   '', '', '', '', CASE WHEN hashint % 50 = 0 THEN 4 ELSE 0 END, ts
            FROM (
                SELECT g, abs(hashint4(g)) AS hashint,
                       timestamptz '{FIRST_DAY}T04:00:00+00' + (g::float8 / {transactions} * {days}) * interval '1 day'
                           + (abs(hashint4(g * 7)) % 36000) * interval '1 second' AS ts,
                       floor({offices} * power(abs(hashint4(g * 13))::float8 / 2147483648, 2.2))::int AS idx
                FROM generate_series(1, {transactions}) g
            ) t JOIN bench_office b ON b.idx = t.idx
        """)  # fmt: skip
        timings["transactions_s"] = time.perf_counter() - started
        plan = db.execute(
            "INSERT INTO outreach_surveyplan (is_default, robocall, robocall_delay, sms_delay, "
            "manual_call_rate, sms_text_ur, sms_text_en, language, keypad) VALUES "
            "(true, false, interval '1 day', interval '2 hours', 0, '', '', 'ur', '{}') RETURNING id"
        ).fetchone()[0]
        started = time.perf_counter()
        share = contacted / transactions
        db.execute(f"""
            INSERT INTO outreach_survey (transaction_id, plan_id, mobile, state, skip_reason,
                skip_detail, manual_call, created_at)
            SELECT id, {plan}, mobile, 'active', '', '', false, occurred_at
            FROM intake_transaction WHERE abs(hashint8(id * 3)) % 1000 < {int(share * 1000)}
        """)  # fmt: skip
        db.execute("""
            INSERT INTO outreach_contactattempt (survey_id, channel, try_number, state, due_at,
                submitted_at, finished_at, gateway_id, error, call_outcome, call_digit, created_at)
            SELECT id, 'sms', 1, CASE WHEN id % 17 = 0 THEN 'failed' ELSE 'delivered' END,
                   created_at, created_at + interval '2 hours', created_at + interval '2 hours 1 minute',
                   '', '', '', '', created_at
            FROM outreach_survey
        """)  # fmt: skip
        timings["surveys_and_attempts_s"] = time.perf_counter() - started
        started = time.perf_counter()
        reply_share = replies / contacted
        db.execute(f"""
            INSERT INTO feedback_feedback (channel, survey_id, transaction_id, category, confidence,
                needs_review, classified_as, keypad_digit, note, created_at)
            SELECT 'sms', s.id, s.transaction_id,
                   CASE {case} END, 0.9, false, '', '', '', s.created_at + interval '3 hours'
            FROM (SELECT s.*, (abs(hashint8(s.id * 11)) % 1000000)::float8 / 1000000 AS r,
                         abs(hashint8(s.id * 5)) % 100000 AS pick
                  FROM outreach_survey s) s
            WHERE s.pick < {int(reply_share * 100000)}
        """)  # fmt: skip
        timings["feedback_s"] = time.perf_counter() - started
        db.execute("VACUUM ANALYZE")
        counts = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("intake_transaction", "outreach_survey", "feedback_feedback")
        }
    return {**timings, **counts}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_reports(last_day: dt.date, warm_runs: int = 5) -> dict:
    from cfmp.reports.catalogue import CATALOGUE, period_range
    from cfmp.reports.selectors import run_report

    cold, warm = [], []
    slowest = ("", 0.0)
    for report in CATALOGUE.values():
        start, end = period_range(report.period.key, start=None, end=last_day)
        if report.period.key in ("day", "month"):
            start, end = period_range(report.period.key, start=last_day, end=None)
        started = time.perf_counter()
        run_report(report, user=None, start=start, end=end)
        cold.append(time.perf_counter() - started)
        runs = []
        for _ in range(warm_runs):
            started = time.perf_counter()
            run_report(report, user=None, start=start, end=end)
            runs.append(time.perf_counter() - started)
        warm.extend(runs)
        if max(runs) > slowest[1]:
            slowest = (report.name, max(runs))
    return {
        "reports": len(CATALOGUE),
        "cold_p95_ms": 1000 * percentile(cold, 0.95),
        "cold_max_ms": 1000 * max(cold),
        "warm_p50_ms": 1000 * statistics.median(warm),
        "warm_p95_ms": 1000 * percentile(warm, 0.95),
        "warm_max_ms": 1000 * max(warm),
        "slowest_warm": slowest[0],
    }


RAW_SQL = {
    # report name: SQL over the raw tables giving (key, value) for the same period
    "transactions-by-district-month": """
        SELECT o.district_id, count(*) FROM intake_transaction t JOIN registry_office o ON o.id = t.office_id
        WHERE t.occurred_at >= %(start)s AND t.occurred_at < %(end)s GROUP BY 1""",
    "complaints-by-office-month": """
        SELECT t.office_id, count(*) FROM feedback_feedback f JOIN intake_transaction t ON t.id = f.transaction_id
        WHERE t.occurred_at >= %(start)s AND t.occurred_at < %(end)s
          AND f.category IN ('bribe', 'misbehaviour', 'delay', 'other_complaint', 'not_availed') GROUP BY 1""",
    "bribe-rate-by-department-range": """
        SELECT o.department_id, avg((f.category = 'bribe')::int)::float8
        FROM feedback_feedback f JOIN intake_transaction t ON t.id = f.transaction_id JOIN registry_office o ON o.id = t.office_id
        WHERE t.occurred_at >= %(start)s AND t.occurred_at < %(end)s GROUP BY 1""",
}  # fmt: skip


def compare_raw_sql(last_day: dt.date) -> list[dict]:
    from django.db import connection

    from cfmp.reports.catalogue import CATALOGUE, period_range
    from cfmp.reports.rollups import day_bounds
    from cfmp.reports.selectors import run_report

    results = []
    for name, sql in RAW_SQL.items():
        report = CATALOGUE[name]
        if report.period.key == "month":
            start, end = period_range("month", start=last_day)
        else:
            start, end = period_range(report.period.key, end=last_day)
        bounds = {"start": day_bounds(start)[0], "end": day_bounds(end)[1]}
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, bounds)
            raw = dict(cursor.fetchall())
        raw_s = time.perf_counter() - started
        started = time.perf_counter()
        table = run_report(report, user=None, start=start, end=end)
        report_s = time.perf_counter() - started
        ours = {row.key: row.value for row in table.rows if row.value}
        raw = {key: value for key, value in raw.items() if value}
        same = all(abs((ours.get(k) or 0) - v) < 1e-9 for k, v in raw.items())
        results.append(
            {"report": name, "raw_sql_ms": 1000 * raw_s, "report_ms": 1000 * report_s,
             "rows": len(raw), "same_numbers": same and len(ours) == len(raw)}
        )  # fmt: skip
    return results


def time_dashboard() -> dict:
    """The first request pays for loading templates and URL patterns once per process;
    the figure that matters is the page as it is refreshed."""
    from django.test import Client

    from cfmp.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username="bench-sec", defaults={"role": Role.SECRETARIAT})
    client = Client()
    client.force_login(user)
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get("/reports/command-centre/", HTTP_HOST="127.0.0.1")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {"first_ms": 1000 * timings[0], "warm_p50_ms": 1000 * statistics.median(timings[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=11_180_000)
    parser.add_argument("--contacted", type=int, default=0, help="default: 8.6/11.18 of them")
    parser.add_argument("--replies", type=int, default=0, help="default: 1.12/11.18 of them")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("CFMP_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )  # fmt: skip
    parser.add_argument(
        "--days", type=int, default=DAYS,
        help="spread over fewer days (with proportionally fewer transactions: same daily load, faster)",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    contacted = args.contacted or round(args.transactions * 8.6 / 11.18)
    replies = args.replies or round(args.transactions * 1.12 / 11.18)

    name = "cfmp_bench_reports"
    database_url = create_database(args.admin_url, name)
    directory = Path(tempfile.mkdtemp(prefix="cfmp-bench-reports-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CFMP_SECRET_KEY": "bench-" + "x" * 50,
        "CFMP_VAR_DIR": str(directory / "var"),
        "CFMP_LOG_LEVEL": "WARNING",
        "CFMP_TASKS_EAGER": "1",
    }
    subprocess.run([str(BIN / "cfmp"), "migrate", "-v", "0"], env=env, check=True)
    setup_django(env)
    gc.freeze()  # as cfmp.wsgi does once the application is loaded
    results: dict[str, object] = {"transactions": args.transactions}
    try:
        offices = build_registry()
        say(f"{len(offices)} offices; generating {args.transactions:,} transactions, "
            f"{contacted:,} contacted, {replies:,} replies inside PostgreSQL…")  # fmt: skip
        results["generated"] = generate(
            database_url,
            transactions=args.transactions,
            replies=replies,
            contacted=contacted,
            days=args.days,
        )
        say(f"  {json.dumps(results['generated'])}")
        from cfmp.reports import rollups

        say("rollups: full rebuild…")
        started = time.perf_counter()
        days = rollups.rebuild_rollups()
        results["rebuild"] = {"days": days, "seconds": time.perf_counter() - started}
        say(f"  {json.dumps(results['rebuild'])}")
        last_day = FIRST_DAY + dt.timedelta(days=args.days - 1)
        busy_day = last_day - dt.timedelta(days=3)
        started = time.perf_counter()
        rollups.recompute_day(busy_day)
        first = time.perf_counter() - started
        started = time.perf_counter()
        rollups.recompute_day(busy_day)
        again = time.perf_counter() - started
        # The worst case: every row of the day new (its first count), so every office's week
        # and month rows are recounted too.
        from cfmp.reports.models import DailyCount

        DailyCount.objects.filter(day=busy_day).delete()
        started = time.perf_counter()
        rollups.recompute_day(busy_day)
        results["one_day_update"] = {"day": str(busy_day), "first_s": first, "again_s": again,
                                     "all_new_s": time.perf_counter() - started}  # fmt: skip
        say(f"  {json.dumps(results['one_day_update'])}")
        say("every catalogue report, cold and warm…")
        results["reports"] = time_reports(last_day)
        say(f"  {json.dumps(results['reports'])}")
        results["raw_sql"] = compare_raw_sql(last_day)
        say(f"  {json.dumps(results['raw_sql'])}")
        results["dashboard"] = time_dashboard()
        say(f"  {json.dumps(results['dashboard'])}")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.admin_url, name)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
