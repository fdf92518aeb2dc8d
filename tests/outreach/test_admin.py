from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.outreach.models import ChannelSetting, OptOut, SurveyPlan

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


class _FormFields(HTMLParser):
    """The values a browser would submit from a rendered admin change form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea, self.values[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def rendered_form(client, url: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    parser.values["sms_text_ur"] = parser.values["sms_text_ur"].removeprefix("\n")
    parser.values["sms_text_en"] = parser.values["sms_text_en"].removeprefix("\n")
    return parser.values


def test_the_plan_editor_shows_each_texts_size_and_refuses_what_cannot_be_delivered(client, world):
    plan = SurveyPlan.objects.create(is_default=True)
    url = reverse("admin:outreach_surveyplan_change", args=[plan.pk])
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(url).content.decode()
    assert "4 SMS per citizen at its longest" in page  # the default Urdu text

    values = rendered_form(client, url)
    response = client.post(url, {**values, "sms_text_ur": "ا" * 700})
    assert response.status_code == 200
    assert "could not be delivered whole" in response.content.decode()
    plan.refresh_from_db()
    assert plan.sms_text_ur != "ا" * 700  # nothing saved

    response = client.post(url, {**values, "sms_text_en": "a" * 700}, follow=True)
    assert response.status_code == 200
    assert "5 SMS per citizen, more than the 4 advised" in response.content.decode()
    plan.refresh_from_db()
    assert plan.sms_text_en == "a" * 700


def test_the_plan_editor_refuses_a_share_beyond_one_on_its_field(client, world):
    plan = SurveyPlan.objects.create(is_default=True)
    url = reverse("admin:outreach_surveyplan_change", args=[plan.pk])
    client.force_login(world.users[Role.SECRETARIAT])
    values = rendered_form(client, url)
    response = client.post(url, {**values, "manual_call_rate": "2"})
    assert response.status_code == 200
    assert "A share between 0 and 1" in response.content.decode()
    plan.refresh_from_db()
    assert plan.manual_call_rate != 2
