import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.outreach.models import ChannelSetting, OptOut

pytestmark = pytest.mark.django_db


def test_the_secretariat_pauses_a_channel_in_the_admin(client, world):
    setting = ChannelSetting.objects.create(channel="sms")
    client.force_login(world.users[Role.SECRETARIAT])
    response = client.post(
        reverse("admin:outreach_channelsetting_change", args=[setting.pk]),
        {"channel": "sms", "paused": "on", "daily_capacity": 1000, "rate_per_second": 10},
    )
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.paused


def test_officers_see_no_opted_out_numbers_and_cannot_change_channels(client, world):
    OptOut.objects.create(mobile="+923005551234", source=OptOut.Source.SMS)
    setting = ChannelSetting.objects.create(channel="sms")
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    body = client.get(reverse("admin:outreach_optout_changelist")).content.decode()
    assert "5551234" not in body
    response = client.post(
        reverse("admin:outreach_channelsetting_change", args=[setting.pk]),
        {"channel": "sms", "paused": "on", "daily_capacity": 1, "rate_per_second": 1},
    )
    assert response.status_code == 403
    setting.refresh_from_db()
    assert not setting.paused
