"""Reports agree exactly with counts made directly from the raw tables, on random data, and
stay in agreement as more data arrives."""

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict

import pytest
from django.db import transaction as db_transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cfmp.accounts.models import Role
from cfmp.cases.models import Action, Case
from cfmp.cases.services import file_complaints
from cfmp.feedback.models import Category, Feedback
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.outreach.models import ContactAttempt, Survey, SurveyPlan
from cfmp.registry.models import Service
from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.models import COUNTERS, DailyCount, PeriodCount
from cfmp.reports.rollups import covering, periods_of, rebuild_rollups, refresh_rollups
from cfmp.reports.selectors import province_summary, run_report

PKT = zoneinfo.ZoneInfo("Asia/Karachi")
# Eight weeks from a Friday: whole months and weeks (read from PeriodCount) and odd days.
DAY0 = dt.date(2026, 2, 20)
SPAN = 54
FIRST, LAST = DAY0, DAY0 + dt.timedelta(days=SPAN)
STATES = ["planned", "submitted", "delivered", "failed"]
CATEGORIES = list(Category.values)

transaction_strategy = st.fixed_dictionaries(
    {
        "day": st.integers(0, SPAN),
        "hour": st.integers(0, 23),  # late hours: near midnight, Pakistan's day vs UTC's
        "office": st.integers(0, 3),
        "official": st.one_of(st.none(), st.integers(0, 3)),
        "service": st.integers(0, 2),
        "flagged": st.booleans(),
        "attempts": st.lists(st.sampled_from(STATES), max_size=3),
        "feedback": st.lists(st.sampled_from(CATEGORIES), max_size=2),
    }
)
data_strategy = st.fixed_dictionaries(
    {
        "transactions": st.lists(transaction_strategy, max_size=25),
        "actions": st.lists(st.tuples(st.integers(0, 50), st.integers(0, SPAN)), max_size=6),
        "late_feedback": st.lists(
            st.tuples(st.integers(0, 50), st.sampled_from(CATEGORIES)), max_size=4
        ),
    }
)


def _make(world, data):
    offices = world.offices
    officials = list(world.officials.values())
    services = list(Service.objects.order_by("pk")[:3])
    source, _ = SourceSystem.objects.get_or_create(code="prop")
    plan, _ = SurveyPlan.objects.get_or_create(is_default=True, service=None)
    made = []
    for n, spec in enumerate(data["transactions"]):
        occurred = dt.datetime.combine(
            DAY0 + dt.timedelta(days=spec["day"]), dt.time(spec["hour"], 30), PKT
        )
        tx = Transaction.objects.create(
            source=source, reference=f"P{n}", occurred_at=occurred, service=services[spec["service"]],
            office=offices[spec["office"]],
            official=None if spec["official"] is None else officials[spec["official"]],
            citizen_name="C", mobile=f"+92300{n:07d}", quality_flags=4 if spec["flagged"] else 0,
        )  # fmt: skip
        survey = Survey.objects.create(
            transaction=tx, plan=plan, mobile=tx.mobile, state="active", created_at=occurred
        )
        for try_number, state in enumerate(spec["attempts"], 1):
            ContactAttempt.objects.create(
                survey=survey, channel="sms", try_number=try_number, state=state, due_at=occurred,
                submitted_at=None if state == "planned" else occurred + dt.timedelta(hours=1),
                finished_at=None if state in ("planned", "submitted") else occurred + dt.timedelta(hours=2),
            )  # fmt: skip
        for category in spec["feedback"]:
            Feedback.objects.create(
                channel="sms", transaction=tx, survey=survey, category=category, confidence=1
            )
        made.append(tx)
    Feedback.objects.create(channel="sms", category="bribe", confidence=1)  # about no transaction
    file_complaints(feedback_ids=list(Feedback.objects.values_list("pk", flat=True)))
    _act(world, data["actions"])
    return made


def _act(world, actions):
    cases = list(Case.objects.order_by("pk"))
    for index, day in actions:
        if cases:
            case = cases[index % len(cases)]
            Action.objects.create(
                case=case, kind="warning", taken_on=DAY0 + dt.timedelta(days=day),
                author=world.users[Role.SECRETARIAT], created_at=dt.datetime.now(dt.UTC),
            )  # fmt: skip


def _raw_by(dimension: str, first=FIRST, last=LAST):
    """Counters by dimension value computed straight from the raw tables, in Python."""
    key = {
        "province": lambda tx: None,
        "department": lambda tx: tx.office.department_id,
        "district": lambda tx: tx.office.district_id,
        "office": lambda tx: tx.office_id,
        "official": lambda tx: tx.official_id,
        "service": lambda tx: tx.service_id,
    }[dimension]
    counts = defaultdict(Counter)
    for tx in Transaction.objects.select_related("office"):
        local_day = tx.occurred_at.astimezone(PKT).date()
        if not first <= local_day <= last:
            continue
        row = counts[key(tx)]
        row["transactions"] += 1
        row["flagged"] += tx.quality_flags != 0
        attempts = list(ContactAttempt.objects.filter(survey__transaction=tx))
        row["contacted"] += any(a.submitted_at for a in attempts)
        row["reached"] += any(a.state == "delivered" for a in attempts)
        feedback = list(Feedback.objects.filter(transaction=tx))
        row["responded"] += bool(feedback)
        for item in feedback:
            row[item.category] += 1
            row["feedback"] += 1
    for action in Action.objects.select_related("case__office"):
        if first <= action.taken_on <= last:
            case = action.case
            case_key = {
                "province": None, "department": case.office.department_id,
                "district": case.office.district_id, "office": case.office_id,
                "official": case.official_id, "service": case.service_id,
            }[dimension]  # fmt: skip
            counts[case_key]["actions"] += 1
    return counts


def _check(first=FIRST, last=LAST):
    user = None
    summary = province_summary(user=user, start=first, end=last)
    raw = _raw_by("province", first, last)[None]
    for counter in (
        "transactions",
        "contacted",
        "reached",
        "responded",
        "feedback",
        *CATEGORIES,
        "actions",
    ):
        assert summary[counter] == raw[counter], counter
    opened = [c.opened_at.astimezone(PKT).date() for c in Case.objects.all()]
    assert summary["cases_opened"] == sum(first <= day <= last for day in opened)
    for dimension in ("province", "department", "district", "office", "official", "service"):
        raw = _raw_by(dimension, first, last)
        for metric in ("transactions", "complaints", "bribe-rate", "response-rate", "actions"):
            table = run_report(
                CATALOGUE[f"{metric}-by-{dimension}-range"], user=user, start=first, end=last
            )
            for row in table.rows:
                counts = raw[row.key]
                expected = {
                    "transactions": counts["transactions"],
                    "complaints": sum(
                        counts[c]
                        for c in (
                            "bribe",
                            "misbehaviour",
                            "delay",
                            "other_complaint",
                            "not_availed",
                        )
                    ),
                    "bribe-rate": counts["bribe"] / counts["feedback"]
                    if counts["feedback"]
                    else None,
                    "response-rate": counts["responded"] / counts["contacted"]
                    if counts["contacted"]
                    else None,
                    "actions": counts["actions"],
                }[metric]
                assert (
                    row.value == pytest.approx(expected)
                    if expected is not None
                    else row.value is None
                ), (dimension, metric, row)
            shown = {row.key for row in table.rows}
            assert {k for k, c in raw.items() if sum(c.values())} <= shown | {
                None
            } or dimension == "province"


def _check_weeks_and_months():
    """Every week's and month's rows are the sum of their days' rows, key by key."""
    keys = ("office_id", "official_id", "service_id")
    expected = Counter()
    for row in DailyCount.objects.values(*keys, "day", *COUNTERS):
        for span, start, _ in periods_of(row["day"]):
            for counter in COUNTERS:
                expected[(span, start, *(row[k] for k in keys), counter)] += row[counter]
    stored = Counter()
    for row in PeriodCount.objects.values(*keys, "span", "start", *COUNTERS):
        for counter in COUNTERS:
            stored[(row["span"], row["start"], *(row[k] for k in keys), counter)] += row[counter]
    assert +stored == +expected


def test_a_range_is_covered_by_months_weeks_and_days_each_day_once():
    for first_offset in range(0, 70, 3):
        for length in range(0, 100, 7):
            start = dt.date(2026, 1, 1) + dt.timedelta(days=first_offset)
            end = start + dt.timedelta(days=length)
            cover = covering(start, end)
            covered = Counter()
            ranges = cover.days + [periods_of(day)[0][1:] for day in cover.weeks]
            ranges += [periods_of(day)[1][1:] for day in cover.months]
            for a, b in ranges:
                covered.update(a + dt.timedelta(days=n) for n in range((b - a).days + 1))
            assert all(day.weekday() == 0 for day in cover.weeks)
            assert all(day.day == 1 for day in cover.months)
            expected = {start + dt.timedelta(days=n) for n in range(length + 1)}
            assert set(covered) == expected and set(covered.values()) == {1}


@pytest.mark.django_db
@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=data_strategy, ends=st.tuples(st.integers(0, SPAN), st.integers(0, SPAN)))
def test_reports_agree_with_the_raw_tables(world, data, ends):
    part = [DAY0 + dt.timedelta(days=n) for n in sorted(ends)]
    with db_transaction.atomic():
        made = _make(world, data)
        # Recorded when they happened, so the second refresh sees only what came later.
        long_ago = dt.datetime(2026, 3, 6, tzinfo=dt.UTC)
        Transaction.objects.update(created_at=long_ago)
        Feedback.objects.update(created_at=long_ago)
        Action.objects.update(created_at=long_ago)
        refresh_rollups()  # the first refresh counts every day
        _check()
        _check(*part)
        _check_weeks_and_months()
        # More arrives: late replies about old transactions, and actions; the next refresh
        # takes in exactly what changed.
        for index, category in data["late_feedback"] or [(0, "bribe")]:
            if made:
                Feedback.objects.create(
                    channel="agent",
                    transaction=made[index % len(made)],
                    category=category,
                    confidence=1,
                )
        file_complaints(feedback_ids=list(Feedback.objects.values_list("pk", flat=True)))
        _act(world, data["actions"][:2])
        refresh_rollups()
        _check()
        _check(*part)
        _check_weeks_and_months()
        db_transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_district_officers_reports_cover_their_district_only(world):
    from tests.cases.support import complaint

    complaint("LHR-REV"), complaint("MUL-REV", official="MUL-REV-1")
    rebuild_rollups()
    today = dt.date.today()
    officer = world.users[Role.DISTRICT_OFFICER]
    start, end = today - dt.timedelta(days=400), today + dt.timedelta(days=1)
    table = run_report(CATALOGUE["complaints-by-office-range"], user=officer, start=start, end=end)
    assert [row.label for row in table.rows] == [world.lahore_revenue.name]
    everyone = run_report(CATALOGUE["complaints-by-office-range"], user=None, start=start, end=end)
    assert len(everyone.rows) == 2 and everyone.total.value == 2


@pytest.mark.django_db
def test_an_upgraded_database_gets_its_weeks_and_months_at_the_next_refresh(world):
    from cfmp.reports.models import RollupState
    from tests.cases.support import complaint

    complaint("LHR-REV")
    refresh_rollups()
    assert PeriodCount.objects.exists()
    # As a database from before weeks and months existed: day rows only.
    PeriodCount.objects.all().delete()
    RollupState.objects.update(periods_counted=False)
    refresh_rollups()
    _check_weeks_and_months()
    assert PeriodCount.objects.filter(span="month").aggregate(n=Sum("bribe"))["n"] == 1
    assert RollupState.objects.get().periods_counted
