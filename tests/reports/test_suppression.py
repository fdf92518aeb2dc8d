"""Small cells stay hidden: an office head who downloads every report of the catalogue for a
period cannot work out a suppressed cell from the shown cells, totals and other dimensions.
The test collects every shown number as a linear equation over the office's officials and
checks that no suppressed official's figure lies in their span."""

import datetime as dt

import numpy as np
import pytest

from cfmp.accounts.models import Role
from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.rollups import rebuild_rollups
from cfmp.reports.selectors import run_report
from tests.cases.support import complaint
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db

REPLIES = {"MUL-HLT-1": 2, "MUL-HLT-2": 6, "MUL-HLT-3": 9}  # replies per official


def recoverable(equations: list[tuple[list[float], float]], unknown: int, width: int) -> bool:
    """Whether the unknown's value follows from the equations (its unit vector lies in the
    span of their coefficients)."""
    if not equations:
        return False
    matrix = np.array([coefficients for coefficients, _ in equations])
    unit = np.zeros(width)
    unit[unknown] = 1
    return np.linalg.matrix_rank(np.vstack([matrix, unit])) == np.linalg.matrix_rank(matrix)


def test_no_suppressed_cell_can_be_worked_out_from_what_an_office_head_downloads(world):
    office = world.multan_health
    for code in ("MUL-HLT-2", "MUL-HLT-3"):
        OfficialFactory(office=office, employee_code=code)
    for code, replies in REPLIES.items():
        for n in range(replies):
            complaint("MUL-HLT", official=code, category="bribe" if n % 2 else "delay")
    rebuild_rollups()
    officials = {o.pk: n for n, o in enumerate(office.officials.order_by("employee_code"))}
    head = world.users[Role.OFFICE_HEAD]
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)

    equations: dict[str, list[tuple[list[float], float]]] = {}
    suppressed: set[int] = set()
    for report in CATALOGUE.values():
        if not report.metric.from_replies or report.period.key != "range":
            continue
        table = run_report(report, user=head, start=start, end=end)
        counters = {"numerator": report.metric.numerator, "denominator": report.metric.denominator}
        for row in [*table.rows, table.total]:
            covers = (
                [officials[row.key]]
                if report.dimension.key == "official" and row is not table.total
                else list(officials.values())
            )
            if row.suppressed:
                if report.dimension.key == "official" and row is not table.total:
                    suppressed.add(officials[row.key])
                continue
            coefficients = [1.0 if n in covers else 0.0 for n in range(len(officials))]
            for part, counter in counters.items():
                value = row.numerator if part == "numerator" else row.denominator
                if value is not None and counter:
                    name = "+".join(counter) if isinstance(counter, tuple) else counter
                    equations.setdefault(name, []).append((coefficients, float(value)))

    assert officials[office.officials.get(employee_code="MUL-HLT-1").pk] in suppressed
    for counter, rows in equations.items():
        for unknown in suppressed:
            assert not recoverable(rows, unknown, len(officials)), (counter, unknown)


# --- Several periods, every audience below the identity roles (issue 20) -----------------

FIRST, LAST = dt.date(2026, 2, 16), dt.date(2026, 3, 22)  # five weeks across a month's end
PER_DAY = {"LHR-REV": 12, "LHR-POL": 4, "MUL-REV": 2, "MUL-HLT": 3}  # citizens served a day


@pytest.fixture
def served(world, settings):
    """Five weeks of services at every office (two officials and three services at the busy
    one), a bribe reported about one in four; the cells' true figures, by (office, official,
    service, day): [transactions, bribes]."""
    import random

    from cfmp.feedback.models import Feedback
    from cfmp.intake.models import SourceSystem, Transaction
    from cfmp.registry.models import Service
    from cfmp.reports.rollups import day_bounds

    settings.CFMP_ANONYMITY_K = 5
    rng = random.Random(20)
    OfficialFactory(office=world.lahore_revenue, employee_code="LHR-REV-2")
    source, _ = SourceSystem.objects.get_or_create(code="suppression")
    cells: dict[tuple, list[int]] = {}
    n, day = 0, FIRST
    while day <= LAST:
        for office in world.offices:
            services = list(Service.objects.filter(department=office.department_id)[:3])
            officials = list(office.officials.all())
            for _ in range(PER_DAY[office.code] + rng.randrange(-1, 2)):
                n += 1
                at = day_bounds(day)[0] + dt.timedelta(hours=rng.randrange(9, 17))
                tx = Transaction.objects.create(
                    source=source, reference=f"S{n}", occurred_at=at, office=office,
                    service=rng.choice(services), official=rng.choice(officials),
                    citizen_name=f"Citizen {n}", mobile=f"+92300{n:07d}",
                )  # fmt: skip
                cell = cells.setdefault((office.pk, tx.official_id, tx.service_id, day), [0, 0])
                cell[0] += 1
                if rng.random() < 0.25:
                    Feedback.objects.create(channel="agent", transaction=tx, category="bribe",
                                            confidence=1.0)  # fmt: skip
                    cell[1] += 1
        day += dt.timedelta(days=1)
    rebuild_rollups()
    return cells


def _downloads(user) -> list[tuple[str, object, object]]:
    """Every table of the catalogue's complaint counts and bribe rates the user can ask for
    over the five weeks: each day, each seven days, each month, and overlapping ranges."""
    asked = []
    day = FIRST
    while day <= LAST:
        asked += [("day", day, day), ("week", None, day + dt.timedelta(days=3))]
        day += dt.timedelta(days=2)
    asked += [("month", dt.date(2026, 2, 1), None), ("month", dt.date(2026, 3, 1), None)]
    asked += [("range", FIRST + dt.timedelta(days=d), FIRST + dt.timedelta(days=d + 9))
              for d in range(0, 26, 5)]  # fmt: skip
    from cfmp.reports.catalogue import period_range

    tables, seen = [], set()
    for dimension in ("province", "department", "district", "office", "official", "service"):
        for period, start, end in asked:
            for metric in ("complaints", "bribe-rate") if period == "range" else ("complaints",):
                report = CATALOGUE[f"{metric}-by-{dimension}-{period}"]
                first, last = period_range(period, start=start, end=end)
                table = run_report(report, user=user, start=first, end=last)
                if (metric, dimension, table.start, table.end) not in seen:
                    seen.add((metric, dimension, table.start, table.end))
                    tables.append((dimension, report, table))
    return tables


def _counted(table, cells, k: int) -> set[tuple]:
    """The cells a table's figures add up, by the rule its notes state: under the release
    rule (docs/privacy.md) only whole atoms — an official's service in a piece of a week —
    of at least k transactions; otherwise every cell of the period."""
    from cfmp.reports.selectors import RELEASE_NOTE, pieces

    inside = {cell for cell in cells if table.start <= cell[3] <= table.end}
    if not any(note.startswith(RELEASE_NOTE[:40]) for note in table.notes):
        return inside
    served: dict[tuple, int] = {}
    piece_of = {}
    for first, last in pieces(table.start, table.end):
        day = first
        while day <= last:
            piece_of[day] = first
            day += dt.timedelta(days=1)
    for cell in inside:
        atom = (*cell[:3], piece_of[cell[3]])
        served[atom] = served.get(atom, 0) + cells[cell][0]
    return {cell for cell in inside if served[(*cell[:3], piece_of[cell[3]])] >= k}


def _secrets(cells, k: int) -> dict[str, list[set[tuple]]]:
    """What must not be worked out: the bribes of any office's day, official's day or
    service's day (at one office) that fewer than k citizens were served in."""
    groups: dict[str, dict[tuple, set[tuple]]] = {"office": {}, "official": {}, "service": {}}
    for cell in cells:
        office, official, service, day = cell
        groups["office"].setdefault((office, day), set()).add(cell)
        groups["official"].setdefault((official, day), set()).add(cell)
        groups["service"].setdefault((office, service, day), set()).add(cell)
    return {
        name: [group for group in by.values() if sum(cells[c][0] for c in group) < k]
        for name, by in groups.items()
    }


@pytest.mark.parametrize(
    "role", [Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER, Role.AUDITOR, Role.OFFICE_HEAD]
)
def test_no_small_day_can_be_worked_out_across_periods_and_dimensions(world, served, role):
    """Every complaint count and bribe rate a reader below the identity roles can download
    over five weeks — days, weeks, months, overlapping ranges, by every dimension — as
    linear equations over the true cells, each checked against the data; no office's,
    official's or service's day of fewer than k citizens lies in their span."""
    from cfmp.registry.models import Office

    k = 5
    user = world.users[role]
    offices = {o.pk: o for o in Office.objects.all()}
    keys = {
        "province": lambda cell: None,
        "department": lambda cell: offices[cell[0]].department_id,
        "district": lambda cell: offices[cell[0]].district_id,
        "office": lambda cell: cell[0],
        "official": lambda cell: cell[1],
        "service": lambda cell: cell[2],
    }
    visible = {cell for cell in served if cell[0] in _scope_of(user, offices)}
    order = {cell: n for n, cell in enumerate(sorted(visible, key=str))}
    equations: list[tuple[list[float], float]] = []
    for dimension, report, table in _downloads(user):
        counted = _counted(table, served, k) & visible
        for row in [*table.rows, table.total]:
            if row.suppressed or row.numerator is None:
                continue
            whole = row is table.total or dimension == "province"
            cells = [c for c in counted if whole or keys[dimension](c) == row.key]
            coefficients = [0.0] * len(order)
            for cell in cells:
                coefficients[order[cell]] = 1.0
            for value in (row.numerator, row.denominator):
                if value is not None:  # the bribes (all the feedback here is a bribe)
                    assert value == sum(served[c][1] for c in cells), (report.name, row)
                    equations.append((coefficients, float(value)))
    assert equations  # the reader did see figures
    matrix = np.array([coefficients for coefficients, _ in equations])
    _, singular, rows = np.linalg.svd(matrix, full_matrices=False)
    basis = rows[singular > 1e-9 * singular.max()]  # an orthonormal basis of their span
    leaks, checked = [], 0
    for name, groups in _secrets(served, k).items():
        for group in groups:
            if not group <= visible:
                continue
            checked += 1
            target = np.zeros(len(order))
            for cell in group:
                target[order[cell]] = 1
            if np.linalg.norm(target - basis.T @ (basis @ target)) < 1e-6:  # in the span
                leaks.append((name, sorted(group, key=str)[0][3], len(group)))
    assert checked  # the reader's scope has small days to protect
    assert not leaks, leaks[:5]


def _scope_of(user, offices) -> set[int]:
    from cfmp.accounts.scopes import office_scope
    from cfmp.registry.models import Office

    return set(Office.objects.filter(office_scope(user, via="")).values_list("pk", flat=True))
