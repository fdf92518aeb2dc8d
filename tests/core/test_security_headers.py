"""Headers and deployment: a strict Content-Security-Policy with no inline script anywhere,
no-store on what signed-in users see and download, HSTS from the environment, and
`cfmp check --deploy` clean with the README's production environment."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "cfmp" / "templates"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_carry_a_strict_policy(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    for url in (reverse("home"), reverse("login"), reverse("kiosk-app"), "/admin/"):
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert "'unsafe-eval'" not in policy["default-src"]


def test_no_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "pdf.html":  # typeset by WeasyPrint, never sent to a browser
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: handler {match.group(0)}")
        for match in re.finditer(r"\sstyle\s*=|<style", text):
            offenders.append(f"{path.name}: style {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_the_moved_behaviour_lives_in_the_static_files(client, world):
    script = (ROOT / "src" / "cfmp" / "static" / "cfmp" / "app.js").read_text()
    assert "data-autosubmit" in script and "data-share" in script
    client.force_login(world.users[Role.SECRETARIAT])
    listing = client.get(reverse("intake:transaction-list")).content.decode()
    assert "data-autosubmit" in listing  # the office filter (intake/lists.py)


@pytest.mark.django_db
def test_identity_pages_and_exports_are_never_stored(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    for url in (
        reverse("intake:transaction-list"),
        reverse("feedback-list"),
        reverse("feedback-list") + "?export=csv",
        reverse("intake:transaction-list") + "?export=xlsx",
        reverse("outreach-history"),
        reverse("call-console"),
        reverse("reports:download", args=["transactions-by-province-month", "csv"]),
        reverse("reports:download", args=["transactions-by-province-month", "xlsx"]),
        reverse("admin:feedback_inboundmessage_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
@pytest.mark.django_db
def test_static_files_keep_their_caching_for_a_signed_in_user(client, world):
    client.force_login(world.users[Role.SECRETARIAT])  # pages for them are no-store
    assert "no-store" in client.get("/").get("Cache-Control", "")
    response = client.get("/static/cfmp/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _production_environment() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Security settings and the production environment", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's production environment block"
    return block.group(1)


def _deploy_check(extra: str = "") -> subprocess.CompletedProcess:
    cfmp = Path(sys.executable).parent / "cfmp"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "CFMP_VAR_DIR": os.environ.get("TMPDIR", "/tmp") + "/cfmp-deploy-check",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    script = (
        f"set -e\n{_production_environment()}\n{extra}\n{cfmp} check --deploy --fail-level WARNING"
    )
    return subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_passes_with_the_readmes_production_environment():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_hsts_and_keys():
    result = _deploy_check("unset CFMP_HSTS_SECONDS CFMP_KIOSK_KEYS")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W004" in output and "CFMP_KIOSK_KEYS" in output


def test_hsts_comes_from_the_environment():
    script = (
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    env = {**os.environ, "CFMP_HSTS_SECONDS": "600", "CFMP_HSTS_INCLUDE_SUBDOMAINS": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "cfmp.settings"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["600", "True"]
    assert settings.SECURE_HSTS_SECONDS == 0  # the test settings: off unless set


def test_check_deploy_warns_without_a_security_contact():
    result = _deploy_check("unset CFMP_SECURITY_CONTACT")
    assert result.returncode != 0
    assert "cfmp.W191" in result.stdout + result.stderr


def test_security_txt_names_the_deployments_contact(client, settings):
    settings.CFMP_SECURITY_CONTACTS = ["mailto:security@cfmp.example.gov.pk"]
    settings.CFMP_SECURITY_POLICY_URL = "https://cfmp.example.gov.pk/security"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@cfmp.example.gov.pk"
    assert fields["Policy"] == "https://cfmp.example.gov.pk/security"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    assert dt.timedelta(days=1) < expires - timezone.now() < dt.timedelta(days=365)


def test_security_txt_is_not_served_without_a_contact(client, settings):
    settings.CFMP_SECURITY_CONTACTS = []
    assert client.get("/.well-known/security.txt").status_code == 404
