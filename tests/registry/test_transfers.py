import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cfmp.registry.models import Posting
from cfmp.registry.selectors import office_of_official_on
from cfmp.registry.services import Outcome, create_official, transfer_official, upsert_official
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offices():
    return OfficeFactory(code="A"), OfficeFactory(code="B")


def test_transfer_keeps_history_of_which_office_on_which_date(two_offices):
    a, b = two_offices
    official = create_official(
        employee_code="E1",
        name="Rana Nazar",
        designation="Clerk",
        office=a,
        started_on=dt.date(2024, 1, 1),
    )
    transfer_official(official=official, to_office=b, effective_on=dt.date(2025, 3, 1))

    official.refresh_from_db()
    assert official.office == b
    assert office_of_official_on(official=official, day=dt.date(2023, 12, 31)) is None
    assert office_of_official_on(official=official, day=dt.date(2024, 6, 1)) == a
    assert office_of_official_on(official=official, day=dt.date(2025, 2, 28)) == a
    assert office_of_official_on(official=official, day=dt.date(2025, 3, 1)) == b
    assert office_of_official_on(official=official, day=dt.date(2030, 1, 1)) == b
    assert Posting.objects.filter(official=official, ended_on__isnull=True).count() == 1


def test_transfer_to_the_same_office_changes_nothing(two_offices):
    a, _ = two_offices
    official = create_official(
        employee_code="E1", name="X", designation="", office=a, started_on=dt.date(2024, 1, 1)
    )
    transfer_official(official=official, to_office=a, effective_on=dt.date(2025, 1, 1))
    assert Posting.objects.filter(official=official).count() == 1


def test_transfer_dated_before_the_current_posting_is_refused(two_offices):
    a, b = two_offices
    official = create_official(
        employee_code="E1", name="X", designation="", office=a, started_on=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        transfer_official(official=official, to_office=b, effective_on=dt.date(2023, 1, 1))
    official.refresh_from_db()
    assert official.office == a


def test_same_day_transfer_corrects_the_posting_instead_of_an_empty_one(two_offices):
    a, b = two_offices
    day = dt.date(2024, 1, 1)
    official = create_official(
        employee_code="E1", name="X", designation="", office=a, started_on=day
    )
    transfer_official(official=official, to_office=b, effective_on=day)
    assert list(
        Posting.objects.filter(official=official).values_list("office__code", flat=True)
    ) == ["B"]


def test_upsert_official_reports_created_updated_transferred_unchanged(two_offices):
    a, b = two_offices
    day = dt.date(2025, 1, 1)
    kwargs = {"employee_code": "E9", "name": "Ali", "designation": "Clerk", "effective_on": day}
    assert upsert_official(office=a, **kwargs)[1] == Outcome.CREATED
    assert upsert_official(office=a, **kwargs)[1] == Outcome.UNCHANGED
    assert upsert_official(office=a, **{**kwargs, "name": "Ali Raza"})[1] == Outcome.UPDATED
    later = {**kwargs, "name": "Ali Raza", "effective_on": dt.date(2025, 6, 1)}
    assert upsert_official(office=b, **later)[1] == Outcome.TRANSFERRED
