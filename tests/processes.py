"""Running CFMP as separate processes (the `cfmp` command, a Celery worker) against a scratch
database of the engine the suite runs on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CFMP = shutil.which("cfmp", path=str(Path(sys.executable).parent)) or "cfmp"


def cfmp(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CFMP, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def spawn(*command: str, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    """A long-running process (a worker, a server), its output kept for assertions."""
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def start_worker(env: dict[str, str], cwd: Path) -> subprocess.Popen:
    """A real Celery worker, one task at a time."""
    return spawn(
        sys.executable, "-m", "celery", "-A", "cfmp", "worker", "--pool", "solo",
        "--loglevel", "WARNING", env=env, cwd=cwd,
    )  # fmt: skip


@contextmanager
def scratch_database(workdir: Path) -> Iterator[str]:
    """A new, empty database of the engine the suite runs on, dropped afterwards."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith("postgres"):
        yield f"sqlite:///{workdir / 'cli.sqlite3'}"
        return
    import psycopg

    parsed = urlsplit(suite_url)
    name = f"cfmp_cli_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parsed._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clean_environment(workdir: Path) -> dict[str, str]:
    """The environment an operator's shell would have: no test settings, DEBUG on."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CFMP_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update({"CFMP_DEBUG": "1", "CFMP_VAR_DIR": str(workdir / "var")})
    return env


def query_one(database_url: str, sql: str, params: tuple = ()) -> tuple | None:
    """One row from the scratch database, read directly (no Django start-up per poll)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchone()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql, params).fetchone()


def query_all(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql, params).fetchall()
