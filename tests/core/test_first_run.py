"""The first run as a newcomer meets it: `cfmp run` in the demo says it is serving only once
the server answers, then shows the demo users and their password; the workers' lines go to
a file; `cfmp demo-users` shows the password again; the demo runs without DEBUG."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.channels.kannel.support import free_port
from tests.processes import CFMP, cfmp, clean_environment, scratch_database


def test_the_demo_says_it_serves_once_it_answers_and_shows_its_users(tmp_path):
    env = clean_environment(tmp_path)
    env.pop("CFMP_DEBUG")
    env.update({"CFMP_DEMO": "1", "CFMP_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'b.sqlite3'}"})
    port = free_port()
    with scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        assert cfmp("migrate", "--noinput", env=env, cwd=tmp_path).returncode == 0
        loaded = cfmp(
            "load-demo", "--transactions", "0", "--history-weeks", "0", env=env, cwd=tmp_path
        )
        assert loaded.returncode == 0, loaded.stderr
        password = loaded.stdout.split("password for all of them: ")[1].split()[0]

        run = subprocess.Popen(
            [CFMP, "run", f"127.0.0.1:{port}"], env=env, cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            assert run.stdout is not None
            seen = []
            deadline = time.monotonic() + 90
            for line in run.stdout:
                seen.append(line)
                if "CFMP is serving" in line:
                    # it answers by the time it says so
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                        assert answer.status == 200
                    break
                assert time.monotonic() < deadline, "".join(seen)
            for _ in range(20):  # the demo users and their password follow
                seen.append(run.stdout.readline())
                if "password" in seen[-1]:
                    break
            console = "".join(seen)
            # Without DEBUG: a mistyped address gets CFMP's page, not Django's URL list.
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page")
            assert missing.value.code == 404
            page = missing.value.read().decode()
        finally:
            run.terminate()
            run.wait(timeout=60)
        again = cfmp("demo-users", env=env, cwd=tmp_path)

    assert f"password for all of them: {password}" in console
    assert "secretariat" in console
    assert "worker.log" in console and "celery@" not in console  # the workers' lines: a file
    assert (tmp_path / "var" / "log" / "worker.log").exists()
    assert "This page does not exist" in page and "Using the URLconf" not in page
    assert f"password for all of them: {password}" in again.stdout


def test_demo_users_outside_the_demo_never_shows_a_password(tmp_path):
    env = clean_environment(tmp_path)
    with scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        assert cfmp("migrate", "--noinput", env=env, cwd=tmp_path).returncode == 0
        loaded = cfmp(
            "load-demo", "--transactions", "0", "--history-weeks", "0", env=env, cwd=tmp_path
        )
        assert loaded.returncode == 0
        shown = cfmp("demo-users", env=env, cwd=tmp_path)
    assert "changepassword" in shown.stdout and "password for all of them" not in shown.stdout
    assert not (tmp_path / "var" / "demo-password").exists()
