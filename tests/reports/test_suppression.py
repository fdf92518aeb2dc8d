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
