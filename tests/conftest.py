from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps

from cfmp.accounts.models import Role, User
from cfmp.registry.catalogue import load_catalogue
from cfmp.registry.models import District, Office, Official
from tests.factories import OfficeFactory, OfficialFactory, UserFactory, department, district


@pytest.fixture(autouse=True)
def seed_data(request, django_db_setup, django_db_blocker):
    """The data migrations' rows (catalogue, CFMP's web source), back after a transactional
    test flushed them: xdist may run a file of ordinary tests after one that flushes. A test
    that reaches the database only through a fixture (`world(db)`) counts too."""
    uses_database = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames
        for name in ("db", "transactional_db", "django_db_reset_sequences", "live_server")
    )
    if not uses_database:
        return
    with django_db_blocker.unblock():
        if not District.objects.exists():
            load_catalogue(apps.get_model)
            web_source_migration = importlib.import_module("cfmp.intake.migrations.0002_web_source")
            web_source_migration.create_web_source(apps, None)


@pytest.fixture(autouse=True)
def fresh_content_types(request):
    """A serialized transactional test's flush empties django_content_type without telling
    Django's in-memory cache: an ordinary test after it (an admin change writing its log
    entry) would name a content type that is gone. The cache is dropped before every test,
    and after transactional ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    from django.core.cache import cache

    cache.clear()  # what a page remembers (held complaints, ...) is not the next test's
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium, driven by Playwright (skipped, or failed in CI, without it)."""
    from django.db import connections

    from tests.system import require_binary

    chromium = require_binary("chromium")
    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # reads are plain synchronous ones all the same (Django's documented escape hatch).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
        # Connections opened while Playwright's loop ran belong to its context: close them
        # here, or the test database cannot be dropped at the end.
        connections.close_all()


@dataclass
class World:
    """Offices and officials in two districts and two departments, and one user per role."""

    lahore_revenue: Office
    lahore_police: Office
    multan_revenue: Office
    multan_health: Office
    officials: dict[str, Official]
    users: dict[Role, User]

    @property
    def offices(self) -> list[Office]:
        return [self.lahore_revenue, self.lahore_police, self.multan_revenue, self.multan_health]


@pytest.fixture
def world(db) -> World:
    lhr_rev = OfficeFactory(
        code="LHR-REV", district=district("lahore"), department=department("revenue")
    )
    lhr_pol = OfficeFactory(
        code="LHR-POL", district=district("lahore"), department=department("police")
    )
    mul_rev = OfficeFactory(
        code="MUL-REV", district=district("multan"), department=department("revenue")
    )
    mul_hlt = OfficeFactory(
        code="MUL-HLT", district=district("multan"), department=department("health")
    )
    officials = {
        office.code: OfficialFactory(office=office, employee_code=f"{office.code}-1")
        for office in (lhr_rev, lhr_pol, mul_rev, mul_hlt)
    }
    users = {
        Role.SECRETARIAT: UserFactory(role=Role.SECRETARIAT, username="sec", is_staff=True),
        Role.DEPARTMENT_OFFICER: UserFactory(
            role=Role.DEPARTMENT_OFFICER,
            username="dept",
            department=department("revenue"),
            is_staff=True,
        ),
        Role.DISTRICT_OFFICER: UserFactory(
            role=Role.DISTRICT_OFFICER, username="do", district=district("lahore"), is_staff=True
        ),
        Role.OFFICE_HEAD: UserFactory(role=Role.OFFICE_HEAD, username="head", office=mul_hlt),
        Role.CALL_CENTRE_AGENT: UserFactory(role=Role.CALL_CENTRE_AGENT, username="agent"),
        Role.DATA_ENTRY_OPERATOR: UserFactory(
            role=Role.DATA_ENTRY_OPERATOR, username="op", assigned_offices=[lhr_pol, mul_rev]
        ),
        Role.AUDITOR: UserFactory(role=Role.AUDITOR, username="aud", is_staff=True),
    }
    return World(lhr_rev, lhr_pol, mul_rev, mul_hlt, officials, users)
