import pytest
from django.urls import reverse

from cfmp.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_root_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert b'name="password"' in response.content


def test_login_then_home_shows_the_users_scope(client, world):
    assert client.login(username="do", password="correct horse battery")
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["counts"]["offices"] == 2
    assert response.context["sees_identities"] is False


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_office_list_of_a_lahore_district_officer_shows_no_multan_office(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    body = client.get(reverse("registry:office-list")).content.decode()
    assert "LHR-REV" in body and "LHR-POL" in body
    assert "MUL-REV" not in body and "MUL-HLT" not in body


def test_office_outside_scope_is_not_found_rather_than_forbidden(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("registry:office-detail", args=["MUL-REV"])).status_code == 404
    assert client.get(reverse("registry:office-detail", args=["LHR-REV"])).status_code == 200


def test_htmx_filter_returns_only_the_rows_fragment(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    response = client.get(
        reverse("registry:office-list"), {"district": "multan"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "MUL-REV" in body and "LHR-REV" not in body


def test_urdu_pages_are_right_to_left(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    body = client.get("/").content.decode()
    assert 'dir="rtl"' in body and 'lang="ur"' in body
    assert "سائن آؤٹ" in body  # "Sign out", from the compiled Urdu catalogue
    assert "Sign out" not in body


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_session_cookies_are_http_only_and_expire(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_the_stylesheet_and_htmx_are_served_by_the_application(client):
    for path in ("/static/cfmp/app.css", "/static/vendor/htmx.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_spent_form_tokens_are_forgotten_after_a_month(world):
    import datetime as dt
    import uuid

    from django.utils import timezone

    from cfmp.core.models import FormToken
    from cfmp.core.services import AlreadySubmitted, forget_old_tokens, spend_form_token

    user = world.users[Role.SECRETARIAT]
    old, recent = uuid.uuid4(), uuid.uuid4()
    spend_form_token(token=old, user=user, purpose="x", now=timezone.now() - dt.timedelta(days=31))
    spend_form_token(token=recent, user=user, purpose="x")
    with pytest.raises(AlreadySubmitted):
        spend_form_token(token=recent, user=user, purpose="x")
    assert forget_old_tokens() == 1
    assert list(FormToken.objects.values_list("token", flat=True)) == [recent]
