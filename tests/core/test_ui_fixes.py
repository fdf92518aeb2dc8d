"""The screenshot review's problems (issue 22), each through the page a person uses."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.cases.models import Case
from cfmp.cases.services import file_complaints
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


def test_the_case_trail_names_people_not_user_names(client, world):
    officer = world.users[Role.DISTRICT_OFFICER]
    officer.first_name, officer.last_name = "Nadia", "Akram"
    officer.save()
    file_complaints(feedback_ids=[complaint().pk])
    case = Case.objects.get()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Assigned to Nadia Akram" in page and f"Assigned to {officer.username}" not in page


def test_the_plan_texts_are_each_written_in_their_own_direction(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("admin:outreach_surveyplan_add")).content.decode()
    urdu = re.search(r"<textarea[^>]*name=\"sms_text_ur\"[^>]*>", page).group(0)
    english = re.search(r"<textarea[^>]*name=\"sms_text_en\"[^>]*>", page).group(0)
    assert 'dir="rtl"' in urdu and 'dir="ltr"' in english


def test_the_second_factors_key_is_shown_in_groups(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("two-factor-setup")).content.decode()
    key = re.search(r'<code dir="ltr">([^<]+)</code>', page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7=]{1,4}", key), key


def test_a_ticks_help_text_is_shown():
    class Form(forms.Form):
        agree = forms.BooleanField(label="Citizen agrees", help_text="Ask before ticking")

    html = render_to_string("feedback/_form_fields.html", {"form": Form()})
    assert "Citizen agrees" in html and "Ask before ticking" in html


def test_the_sign_in_log_shows_dates_left_to_right(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = client.get(reverse("sign-in-log")).content.decode()
    assert re.search(r'<bdi dir="ltr">\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}</bdi>', page)


def test_the_call_page_leads_back_to_the_call_centre(client, world):
    from cfmp.feedback.callcentre import request_call
    from cfmp.feedback.models import CallRequest

    request_call(mobile="+923001234567", reason=CallRequest.Reason.values[0])
    agent = world.users[Role.CALL_CENTRE_AGENT]
    client.force_login(agent)
    taken = client.post(reverse("call-next"))
    page = client.get(taken.url).content.decode()
    assert f'href="{reverse("call-console")}"' in page
