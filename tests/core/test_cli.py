"""The `cfmp` console script, run as an operator runs it: a real process on a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import cfmp, clean_environment, scratch_database


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> Iterator[tuple[dict[str, str], Path]]:
    """A migrated database in a fresh directory, reached only through the `cfmp` command."""
    workdir = tmp_path_factory.mktemp("cli")
    env = clean_environment(workdir)
    with scratch_database(workdir) as database_url:
        env["DATABASE_URL"] = database_url
        migrated = cfmp("migrate", "--noinput", env=env, cwd=workdir)
        assert migrated.returncode == 0, migrated.stderr
        yield env, workdir


@pytest.mark.parametrize(
    ("model", "count"),
    [("registry.District", 36), ("registry.Service", 19), ("registry.Department", 7)],
)
def test_dumpdata_lists_the_shipped_catalogue(cli_env, model, count):
    env, workdir = cli_env
    result = cfmp("dumpdata", model, env=env, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == count


def test_import_registry_exits_non_zero_when_a_row_is_rejected(cli_env):
    env, workdir = cli_env
    csv = workdir / "offices.csv"
    csv.write_text(
        "district,department,office_code,office_name,official_code,official_name,designation\n"
        "Lahore,revenue,LHR-CLI-1,Registry Branch,E-CLI-1,Rana Nazar,Clerk\n"
        "Atlantis,revenue,ATL-1,Nowhere,,,\n",
        encoding="utf-8",
    )
    result = cfmp("import-registry", str(csv), "--no-progress", env=env, cwd=workdir)
    assert result.returncode == 1
    assert "row 3, column district: unknown district 'Atlantis'" in result.stderr
    dumped = cfmp("dumpdata", "registry.Office", env=env, cwd=workdir)
    assert [o["fields"]["name"] for o in json.loads(dumped.stdout)] == ["Registry Branch"]


def test_load_demo_prints_the_password_once_and_keeps_data_on_rerun(cli_env):
    env, workdir = cli_env
    first = cfmp("load-demo", env=env, cwd=workdir)
    second = cfmp("load-demo", env=env, cwd=workdir)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "password for all of them" in first.stdout
    assert "password for all of them" not in second.stdout
    assert "already exist" in second.stdout
    # A demo kiosk waits to be enrolled: a fresh one-time code each run until it is.
    codes = [out.stdout.split("enter the code ")[1].split()[0] for out in (first, second)]
    assert len(set(codes)) == 2 and all(len(code) == 14 for code in codes)


def test_refuses_to_serve_with_debug_off_and_the_default_secret_key(cli_env):
    env, workdir = cli_env
    insecure = {**env, "CFMP_DEBUG": "0"}
    served = cfmp("runserver", "127.0.0.1:0", "--noreload", env=insecure, cwd=workdir)
    assert served.returncode != 0
    assert "CFMP_SECRET_KEY" in served.stderr

    wsgi = subprocess.run(
        [sys.executable, "-c", "import cfmp.wsgi"],
        env=insecure,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wsgi.returncode != 0
    assert "CFMP_SECRET_KEY" in wsgi.stderr

    deploy_check = cfmp("check", "--deploy", env=insecure, cwd=workdir)
    assert deploy_check.returncode != 0
    assert "cfmp.E001" in deploy_check.stderr

    # Managing data needs no key: a database can be prepared before the key is in place.
    assert cfmp("migrate", "--check", env=insecure, cwd=workdir).returncode == 0

    secure = {**insecure, "CFMP_SECRET_KEY": "a-real-deployment-key-" + "x" * 40}
    imported = subprocess.run(
        [sys.executable, "-c", "import cfmp.wsgi"], env=secure, cwd=workdir, timeout=60
    )
    assert imported.returncode == 0
