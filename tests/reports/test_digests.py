"""Daily and weekly digests: each officer's own area."""

import datetime as dt

import pytest

from cfmp.accounts.models import Role
from cfmp.reports.digests import send_report_digests
from cfmp.reports.rollups import rebuild_rollups
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


def test_each_officer_gets_their_areas_figures(world, mailoutbox):
    (
        complaint("LHR-REV"),
        complaint("MUL-REV", official="MUL-REV-1"),
        complaint("MUL-REV", official="MUL-REV-1"),
    )
    rebuild_rollups()
    for role, email in ((Role.DISTRICT_OFFICER, "do@x.pk"), (Role.SECRETARIAT, "sec@x.pk")):
        world.users[role].email = email
        world.users[role].save()
    assert send_report_digests(weekly=True, today=dt.date(2026, 3, 5)) == 2
    mails = {mail.to[0]: mail for mail in mailoutbox}
    lahore, everyone = mails["do@x.pk"].body, mails["sec@x.pk"].body
    assert (
        "weekly" in mails["do@x.pk"].subject
        and "2026-02-26 – 2026-03-04" in mails["do@x.pk"].subject
    )
    assert "Transactions: 1 " in lahore and world.lahore_revenue.name in lahore
    assert world.multan_revenue.name not in lahore
    assert "Transactions: 3 " in everyone and world.multan_revenue.name in everyone


def test_below_the_identity_roles_the_digest_counts_no_days_complaints(world, mailoutbox, settings):
    """Yesterday's bribe reports for one's district would date them: below the identity roles
    the digest withholds what citizens said (the reports give released whole weeks)."""
    settings.CFMP_ANONYMITY_K = 5
    complaint("LHR-REV")
    rebuild_rollups()
    for role, email in ((Role.DISTRICT_OFFICER, "do@x.pk"), (Role.SECRETARIAT, "sec@x.pk")):
        world.users[role].email = email
        world.users[role].save()
    assert send_report_digests(today=dt.date(2026, 3, 3)) == 2
    mails = {mail.to[0]: mail.body for mail in mailoutbox}
    assert "Transactions: 1 " in mails["do@x.pk"] and "Bribe: — " in mails["do@x.pk"]
    assert "Bribe: 1 " in mails["sec@x.pk"]
