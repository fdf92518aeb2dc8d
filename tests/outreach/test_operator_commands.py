"""What an operator does from a shell, as separate processes: `cfmp plans` to see and change
survey plans, `cfmp kannel-config` for the gateway, and a deployment's refusals (a worker
that would let simulated citizens answer, the demo's fast clock)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.processes import cfmp, clean_environment, scratch_database


@pytest.fixture
def operator(tmp_path):
    """An operator's shell on a migrated database: not the demo, SMS through Kannel, no
    voice gateway configured."""
    env = clean_environment(tmp_path)
    env.update(
        {
            "CFMP_SMS_CHANNEL": "kannel",
            "CFMP_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        }
    )
    with scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        done = cfmp("migrate", "--noinput", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        yield env


def run(env: dict[str, str], cwd, *args: str) -> subprocess.CompletedProcess:
    return cfmp(*args, env=env, cwd=cwd)


def start_a_worker(env: dict[str, str], cwd) -> tuple[bool, str]:
    """Starts a worker as the README does: (True, output) once it is ready to take tasks
    (then it is stopped), (False, output) if it exits first."""
    command = [sys.executable, "-m", "celery", "-A", "cfmp", "worker", "--pool", "solo",
               "--loglevel", "INFO"]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    try:
        for line in process.stdout:  # ends when the worker exits
            lines.append(line)
            if " ready." in line:
                return True, "".join(lines)
        return False, "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_plans_are_listed_and_changed_without_the_shell(operator, tmp_path):
    listed = run(operator, tmp_path, "plans", "list")
    assert listed.returncode == 0, listed.stderr
    assert "default: SMS 2h later; call-centre sample 5%" in listed.stdout
    assert "ur text: 4 SMS per citizen" in listed.stdout
    changed = run(
        operator, tmp_path, "plans", "set", "default", "--robocall", "on",
        "--robocall-delay", "1d", "--sms-delay", "90m", "--call-centre-sample", "0",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert "default: robocall after 1d, then SMS 90m later; call-centre sample 0%" in (
        changed.stdout
    )
    assert "voice: the built-in simulator (works only in the demo)" in changed.stdout


def test_a_text_that_cannot_be_delivered_is_refused_with_the_field_named(operator, tmp_path):
    refused = run(operator, tmp_path, "plans", "set", "default", "--text-en", "{name} " * 300)
    assert refused.returncode != 0
    assert "sms_text_en" in refused.stderr and "Unknown placeholders: {name}" in refused.stderr
    too_long = run(operator, tmp_path, "plans", "set", "default", "--text-ur", "ا" * 800)
    assert too_long.returncode != 0
    assert "sms_text_ur" in too_long.stderr and "could not be delivered whole" in too_long.stderr
    costly = run(operator, tmp_path, "plans", "set", "default", "--text-en", "a" * 900)
    assert costly.returncode == 0
    assert "warning:" in costly.stderr and "6 SMS per citizen" in costly.stderr


def test_a_worker_refuses_to_start_while_a_plan_would_use_the_simulator(operator, tmp_path):
    assert run(operator, tmp_path, "plans", "set", "default", "--robocall", "on").returncode == 0
    started, output = start_a_worker(operator, tmp_path)
    assert not started, output
    assert "refuses to start" in output
    assert "cfmp plans set default --robocall off" in output
    deploy = run(operator, tmp_path, "check", "--deploy")
    assert deploy.returncode != 0 and "cfmp.E101" in deploy.stderr

    assert run(operator, tmp_path, "plans", "set", "default", "--robocall", "off").returncode == 0
    started, output = start_a_worker(operator, tmp_path)
    assert started, output
    assert "cfmp.E101" not in run(operator, tmp_path, "check", "--deploy").stderr


def test_the_demo_clock_is_refused_outside_the_demo(operator, tmp_path):
    fast = {**operator, "CFMP_TIME_SCALE": "5760"}
    refused = run(fast, tmp_path, "check")
    assert refused.returncode != 0
    assert "CFMP_TIME_SCALE" in refused.stderr and "only for the demo" in refused.stderr
    assert run({**fast, "CFMP_DEMO": "1"}, tmp_path, "check").returncode == 0


def test_kannel_config_is_complete_for_long_texts_and_lost_reports(operator, tmp_path):
    printed = run(
        operator, tmp_path, "kannel-config", "--smsc-host", "smsc.example.pk", "--retries", "12"
    )
    assert printed.returncode == 0, printed.stderr
    text = printed.stdout
    for line in ("smsc = smpp", "host = smsc.example.pk", "concatenation = true",
                 "max-messages = 10", "http-request-retry = 12", "http-queue-delay = 10",
                 "get-url = "):  # fmt: skip
        assert line in text
    # The inbound key travels as Basic credentials, never in a query string.
    assert "://kannel:" in text and "secret=" not in text
