"""The complaint categories and their seriousness are defined once (feedback.models); what
cases tune per kind — a case's starting priority, the days it may stay open — follows that
order, and a case's kinds are exactly those categories, in the same words."""

from cfmp.cases.models import Kind
from cfmp.cases.routing import DEFAULT_SLA_DAYS
from cfmp.cases.services import BASE_PRIORITY
from cfmp.feedback.models import COMPLAINTS, Category


def test_a_cases_kinds_are_the_complaint_categories_in_their_words():
    assert set(Kind.values) == set(COMPLAINTS)
    assert all(Kind(kind).label == Category(kind).label for kind in COMPLAINTS)


def test_priority_and_time_allowed_follow_the_seriousness_order():
    assert set(BASE_PRIORITY) == set(DEFAULT_SLA_DAYS) == set(COMPLAINTS)
    priorities = [BASE_PRIORITY[kind] for kind in COMPLAINTS]
    days = [DEFAULT_SLA_DAYS[kind] for kind in COMPLAINTS]
    assert priorities == sorted(priorities, reverse=True) and len(set(priorities)) == len(
        priorities
    )
    assert days == sorted(days)
