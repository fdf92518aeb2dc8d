"""A message stored dated in year 9999 (before the doors bounded it) no longer breaks the
admin: the migration gives it the time CFMP received it."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from cfmp.accounts.models import Role
from cfmp.feedback.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_a_message_dated_outside_the_window_is_repaired_and_the_admin_shows_it(client, world):
    for year, month, day in ((9999, 12, 31), (1, 1, 1)):
        InboundMessage.objects.create(
            gateway="webhook", gateway_message_id=f"x{year}", sender="+923001234567",
            text="x", received_at=dt.datetime(year, month, day, 23, tzinfo=dt.UTC),
            kind="unsolicited",
        )  # fmt: skip
    migration = importlib.import_module("cfmp.feedback.migrations.0009_i18_received_at_window")
    migration.received_within_the_window(apps, None)
    for message in InboundMessage.objects.all():
        assert message.received_at == message.created_at
    client.force_login(world.users[Role.SECRETARIAT])
    pk = InboundMessage.objects.first().pk
    for url in ("/admin/feedback/inboundmessage/", f"/admin/feedback/inboundmessage/{pk}/change/"):
        assert client.get(url).status_code == 200
