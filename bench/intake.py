"""Intake benchmark: file import and API throughput against PostgreSQL's raw COPY ceiling.

    .venv/bin/python bench/intake.py                  # 1,000,000 rows (default)
    .venv/bin/python bench/intake.py --rows 100000    # a quicker run

It creates a scratch database (dropped at the end unless --keep), a registry of 3,000 offices
and 15,000 officials skewed over Punjab's districts, and a CSV of N transactions mixing the
phone formats and mistakes offices make. It then measures, in the same run:

1. raw COPY: the same rows, already validated, streamed with COPY into the transactions table
   (its indexes and constraints included): the ceiling any importer can reach;
2. file import: `cfmp import-transactions` on the CSV, end to end (a separate process, so its
   peak memory is measured too);
3. API: POST /api/v1/transactions/ in batches of 1,000 to gunicorn (2 workers) from 4
   concurrent clients.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent

import synth  # noqa: E402


def say(message: str) -> None:
    print(message, flush=True)


def create_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cfmp.settings"
    import django

    django.setup()


def build_registry() -> list[synth.Office]:
    from django.db import transaction

    from cfmp.intake.models import SourceSystem
    from cfmp.registry.models import Department, District, Office, Official, Posting, Service

    catalogue: dict[str, list[str]] = {}
    for service in Service.objects.select_related("department"):
        catalogue.setdefault(service.department.code, []).append(service.code)
    districts = list(District.objects.order_by("pk").values_list("code", flat=True))
    offices = synth.make_registry(catalogue, districts)
    departments = {d.code: d for d in Department.objects.all()}
    district_objs = {d.code: d for d in District.objects.all()}
    with transaction.atomic():
        created = Office.objects.bulk_create(
            Office(
                code=o.code,
                name=f"Office {o.code}",
                department=departments[o.department],
                district=district_objs[o.district],
            )
            for o in offices
        )
        officials = Official.objects.bulk_create(
            Official(employee_code=code, name=f"Official {code}", office=office)
            for office, spec in zip(created, offices, strict=True)
            for code in spec.officials
        )
        Posting.objects.bulk_create(
            Posting(official=o, office_id=o.office_id, started_on="2020-01-01") for o in officials
        )
        source = SourceSystem.objects.create(code="bench", name="Benchmark")
        source.departments.set(Department.objects.all())
    return offices


def copy_text(csv_path: Path, out_path: Path) -> int:
    """The CSV's rows as the importer would store them, in COPY text format (not timed)."""
    from django.utils import timezone

    from cfmp.core.tabular import read_csv_records
    from cfmp.intake.importers import REQUIRED_COLUMNS, _inputs
    from cfmp.intake.models import SourceSystem
    from cfmp.intake.validation import Registry, Rejected, Validator

    registry = Registry.load()
    validator = Validator(registry=registry, allowed_office_ids=None)
    source_id = SourceSystem.objects.get(code="bench").pk
    now = timezone.now().isoformat()
    seen: set[str] = set()
    count = 0
    with csv_path.open("rb") as binary, out_path.open("w", encoding="utf-8") as out:
        records = read_csv_records(binary, required_columns=REQUIRED_COLUMNS)
        for _row, item in _inputs(records):
            try:
                v = validator.validate(item)
            except Rejected:
                continue
            if v.reference in seen:
                continue
            seen.add(v.reference)
            official = registry.officials.get(v.official_code.lower(), "\\N")
            values = [
                source_id,
                v.reference,
                v.occurred_at.isoformat(),
                v.service_id,
                v.office_id,
                official,
                v.citizen_name,
                v.mobile_raw,
                v.mobile,
                v.sms_block,
                v.cnic_digest,
                v.cnic_sealed,
                v.cnic_last4,
                v.quality_flags,
                "\\N",
                now,
            ]
            out.write("\t".join(str(x) for x in values) + "\n")
            count += 1
    return count


def settle(database_url: str) -> None:
    """Start each phase from the same state: empty table, WAL flushed to disk."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("TRUNCATE intake_transaction CASCADE")
        connection.execute("VACUUM ANALYZE intake_transaction")
        connection.execute("CHECKPOINT")


def raw_copy(database_url: str, text_path: Path) -> tuple[int, float]:
    import psycopg

    from cfmp.intake.writers import COLUMNS

    with psycopg.connect(database_url) as connection:
        connection.execute("TRUNCATE intake_transaction CASCADE")
        connection.commit()
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY intake_transaction ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            text_path.open("rb") as source,
        ):
            while block := source.read(1 << 20):
                copy.write(block)
        connection.commit()
        elapsed = time.perf_counter() - started
        rows = connection.execute("SELECT count(*) FROM intake_transaction").fetchone()[0]
        connection.execute("TRUNCATE intake_transaction CASCADE")
        connection.commit()
    return rows, elapsed


# Runs the import under a small launcher that reports its child's peak memory: measured from
# the bench process itself, ru_maxrss would include the bench's own pages copied at fork.
PEAK_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def file_import(env: dict[str, str], csv_path: Path) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK_LAUNCHER,
            str(BIN / "cfmp"),
            "import-transactions",
            str(csv_path),
            "--source",
            "bench",
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    summary = done.stdout.strip().splitlines()[0] if done.stdout else done.stderr
    return elapsed, peak_kb // 1024, summary


def api_bodies(offices: list[synth.Office], rows: int) -> list[bytes]:
    keys = synth.HEADER
    batch: list[dict[str, str]] = []
    bodies = []
    for row in synth.transactions(offices, rows, seed=99, prefix="API"):
        batch.append(dict(zip(keys, row, strict=True)))
        if len(batch) == 1000:
            bodies.append(json.dumps(batch).encode())
            batch = []
    if batch:
        bodies.append(json.dumps(batch).encode())
    return bodies


def api_run(
    env: dict[str, str], bodies: list[bytes], key: str, *, port: int = 8765, clients: int = 4
) -> tuple[float, int]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cfmp.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                probe = HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        pending = list(bodies)
        lock = threading.Lock()
        created = [0]

        def client() -> None:
            connection = HTTPConnection("127.0.0.1", port, timeout=120)
            while True:
                with lock:
                    if not pending:
                        return
                    body = pending.pop()
                connection.request(
                    "POST",
                    "/api/v1/transactions/",
                    body=body,
                    headers={"Content-Type": "application/json", "Authorization": f"Token {key}"},
                )
                response = connection.getresponse()
                payload = json.loads(response.read())
                assert response.status == 200, payload
                with lock:
                    created[0] += payload["summary"]["created"]

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started, created[0]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--api-rows", type=int, default=200_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CFMP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cfmp-bench-"))
    name = "cfmp_bench_intake"
    database_url = create_database(args.postgres, name)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CFMP_")},
        "DATABASE_URL": database_url,
        "CFMP_DEBUG": "0",
        "CFMP_SECRET_KEY": "bench-only-secret-key-" + "x" * 30,
        "CFMP_VAR_DIR": str(workdir / "var"),
        "CFMP_LOG_LEVEL": "WARNING",
    }
    try:
        subprocess.run([str(BIN / "cfmp"), "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [str(BIN / "cfmp"), "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
        setup_django(env)
        offices = build_registry()
        say(f"registry: {len(offices)} offices, {sum(len(o.officials) for o in offices)} officials")

        csv_path = workdir / "transactions.csv"
        synth.write_csv(csv_path, synth.transactions(offices, args.rows))
        size_mb = csv_path.stat().st_size / 1e6
        say(f"generated {args.rows:,} rows ({size_mb:.0f} MB CSV)")
        text_path = workdir / "transactions.copy"
        valid_rows = copy_text(csv_path, text_path)

        settle(database_url)
        copy_rows, copy_seconds = raw_copy(database_url, text_path)
        copy_rate = copy_rows / copy_seconds
        say(f"raw COPY:     {copy_rows:,} rows in {copy_seconds:6.1f} s = {copy_rate:9,.0f} rows/s")

        settle(database_url)
        seconds, peak_mb, summary = file_import(env, csv_path)
        file_rate = valid_rows / seconds
        say(
            f"file import:  {valid_rows:,} rows in {seconds:6.1f} s = {file_rate:9,.0f} rows/s "
            f"= {file_rate / copy_rate:.0%} of raw COPY; peak memory {peak_mb} MB"
        )
        say(f"              ({summary})")

        from cfmp.intake.models import SourceSystem
        from cfmp.intake.services import issue_source_token

        _token, key = issue_source_token(source=SourceSystem.objects.get(code="bench"))
        bodies = api_bodies(offices, args.api_rows)
        settle(database_url)
        api_seconds, api_created = api_run(env, bodies, key)
        say(
            f"API:          {api_created:,} created in {api_seconds:6.1f} s = "
            f"{api_created / api_seconds:9,.0f} transactions/s (batches of 1,000, 4 clients)"
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.postgres, name)
        if not args.keep:
            for path in workdir.glob("transactions.*"):
                path.unlink()
        else:
            say(f"kept {workdir} and database {name}")


if __name__ == "__main__":
    main()
