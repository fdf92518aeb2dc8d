"""Reads of intake data. Every page, export and report reads transactions through
`transactions_visible_to`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from cfmp.accounts.models import User
from cfmp.accounts.scopes import effective_role, office_scope, sees_every_import_job
from cfmp.intake.models import ImportJob, QualityFlag, Transaction
from cfmp.registry.models import Office


def transactions_visible_to(user: User) -> QuerySet[Transaction]:
    return Transaction.objects.filter(office_scope(user, via="office"))


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Operators see their own uploads; the secretariat sees all."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if sees_every_import_job(user):
        return jobs
    if effective_role(user) is None:
        return jobs.none()
    return jobs.filter(uploaded_by=user)


@dataclass(frozen=True)
class OfficeQuality:
    office: Office
    total: int
    invalid: int
    # Citizens recorded as having no mobile, by the source's explicit choice (issue 17);
    # a high share is a way to avoid surveys, shown beside the numbers that are unusable.
    no_mobile: int
    landline: int
    made_up: int
    official_number: int
    unverified_official: int
    shared_mobile: int
    # Stored with an impossible date of service before dates were bounded (issue 18).
    impossible_date: int = 0

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    @property
    def suspicious(self) -> int:
        return (
            self.invalid
            + self.no_mobile
            + self.landline
            + self.made_up
            + self.official_number
            + (self.shared_mobile)
        )


def _has(flag: QualityFlag) -> Q:
    return Q(**{f"flag_{str(flag.name).lower()}__gt": 0})


def shared_mobiles(
    *, until: dt.datetime, window_days: int | None = None, threshold: int | None = None
) -> QuerySet[Any, Any]:
    """Mobiles given for at least `threshold` different citizens within the window before
    `until`: offices that type one number for everyone avoid being surveyed."""
    window_days = window_days or settings.CFMP_SHARED_MOBILE_WINDOW_DAYS
    threshold = threshold or settings.CFMP_SHARED_MOBILE_THRESHOLD
    return (
        Transaction.objects.filter(
            occurred_at__gte=until - dt.timedelta(days=window_days), occurred_at__lt=until
        )
        .exclude(mobile="")
        .values("mobile")
        .annotate(citizens=Count(Lower("citizen_name"), distinct=True))
        .filter(citizens__gte=threshold)
        .values("mobile")
    )


def office_quality_signals(
    user: User, *, start: dt.datetime, end: dt.datetime
) -> list[OfficeQuality]:
    """Data-quality signals per office in [start, end), for the offices in the user's scope,
    worst first."""
    flags = {flag: F("quality_flags").bitand(int(flag)) for flag in QualityFlag}
    rows = (
        transactions_visible_to(user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .alias(**{f"flag_{str(flag.name).lower()}": expr for flag, expr in flags.items()})
        .values("office")
        .annotate(
            total=Count("id"),
            invalid=Count(
                "id", filter=_has(QualityFlag.INVALID_MOBILE) | _has(QualityFlag.NOT_MOBILE)
            ),
            no_mobile=Count("id", filter=_has(QualityFlag.NO_MOBILE)),
            landline=Count("id", filter=_has(QualityFlag.LANDLINE)),
            made_up=Count("id", filter=_has(QualityFlag.MADE_UP_NUMBER)),
            official_number=Count("id", filter=_has(QualityFlag.OFFICIAL_NUMBER)),
            unverified_official=Count("id", filter=_has(QualityFlag.UNVERIFIED_OFFICIAL)),
            shared_mobile=Count("id", filter=Q(mobile__in=shared_mobiles(until=end))),
            impossible_date=Count("id", filter=_has(QualityFlag.IMPOSSIBLE_DATE)),
        )
    )
    offices = Office.objects.in_bulk([row["office"] for row in rows])
    signals = [
        OfficeQuality(
            office=offices[row["office"]],
            total=row["total"],
            invalid=row["invalid"],
            no_mobile=row["no_mobile"],
            landline=row["landline"],
            made_up=row["made_up"],
            official_number=row["official_number"],
            unverified_official=row["unverified_official"],
            shared_mobile=row["shared_mobile"],
            impossible_date=row["impossible_date"],
        )
        for row in rows
    ]
    return sorted(signals, key=lambda s: s.share(s.suspicious), reverse=True)


@dataclass(frozen=True)
class Codes:
    """What an upload's office, service and official columns may hold, for this user."""

    offices: list[Office]
    services: list[Any]
    officials: list[Any]


def upload_codes(user: Any, *, limit: int = 300) -> Codes:
    """The offices the user may submit for (at most `limit`), their departments' services
    and their officials, by code."""
    from cfmp.registry.models import Official, Service

    offices = list(
        Office.objects.filter(office_scope(user, via="")).select_related("department")
        .order_by("code")[:limit]
    )  # fmt: skip
    departments = {office.department_id for office in offices}
    services = list(Service.objects.filter(department_id__in=departments).order_by("code"))
    officials = list(
        Official.objects.filter(office__in=offices).select_related("office")
        .order_by("office__code", "employee_code")[:limit]
    )  # fmt: skip
    return Codes(offices, services, officials)


TEMPLATE_COLUMNS = ("reference", "occurred_at", "service", "office", "official", "citizen_name",
                    "mobile", "cnic")  # fmt: skip


def upload_template(codes: Codes) -> bytes:
    """A CSV file with the upload's columns and one example row in the user's own codes."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_COLUMNS)
    if codes.offices:
        office = codes.offices[0]
        service = next((s for s in codes.services if s.department_id == office.department_id), None)
        official = next((o for o in codes.officials if o.office_id == office.pk), None)
        writer.writerow([
            "EXAMPLE-0001", "2026-03-02 11:00", service.code if service else "", office.code,
            official.employee_code if official else "", "Asif Khan", "0300-1234567", "",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
