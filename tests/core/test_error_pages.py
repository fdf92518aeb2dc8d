"""Refusals and errors are pages a person can read, in English and Urdu, with a way back;
a refusal is one line in the log, not a traceback."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from cfmp.accounts.models import Role
from cfmp.core.logs import NoTracebackBelow500

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_and_leads_home(client, world):
    client.force_login(world.users[Role.OFFICE_HEAD])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert f'href="{reverse("home")}"' in page and "Back to your home page" in page


def test_a_refusal_says_why_and_leads_home_in_urdu_too(client, world):
    client.force_login(world.users[Role.OFFICE_HEAD])
    url = reverse("reports:command-centre")
    response = client.get(url)
    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()
    client.cookies["django_language"] = "ur"
    urdu = client.get(url, headers={"accept-language": "ur"}).content.decode()
    assert 'dir="rtl"' in urdu and "You may not do this" not in urdu


def test_a_server_error_page_needs_no_database_and_speaks_both_languages():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "ہماری طرف کوئی خرابی ہوئی" in page


def test_refusals_are_logged_without_a_traceback_and_errors_with_one():
    try:
        raise PermissionError("not yours")
    except PermissionError:
        import sys

        exc_info = sys.exc_info()
    for status, kept in ((403, False), (404, False), (500, True)):
        record = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), exc_info)
        record.status_code = status
        assert NoTracebackBelow500().filter(record)
        assert (record.exc_info is not None) is kept
