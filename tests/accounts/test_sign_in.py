"""Signing in as a person would: throttling and lockout, reset by email, the second factor,
sessions ending with a password change, and the secretariat's sign-in log."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cfmp.accounts.models import Role, SignInEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase of mine"


@pytest.fixture
def agent(world):
    user = world.users[Role.CALL_CENTRE_AGENT]
    user.set_password(PASSWORD)
    user.email = "agent@example.gov.pk"
    user.save()
    return user


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, agent):
    for _ in range(5):
        assert _sign_in(client, agent.username, "wrong password!").status_code in (200, 429)
    response = _sign_in(client, agent.username, PASSWORD)
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert not _signed_in(client)
    # From another address too: the account itself is throttled.
    other = Client()
    assert _sign_in(other, agent.username, PASSWORD, address="10.9.9.9").status_code == 429
    kinds = list(SignInEvent.objects.filter(username=agent.username).values_list("kind", flat=True))
    assert kinds.count("failed") >= 5 and "locked_out" in kinds and "signed_in" not in kinds


def test_the_admin_sign_in_is_throttled_the_same(client, world):
    secretariat = world.users[Role.SECRETARIAT]
    secretariat.set_password(PASSWORD)
    secretariat.save()
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": secretariat.username, "password": "wrong password!"})
    response = client.post(url, {"username": secretariat.username, "password": PASSWORD})
    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


def test_one_address_guessing_many_accounts_is_throttled(client, world):
    names = [UserFactory(username=f"user{n}").username for n in range(5)]
    for name in names:
        _sign_in(client, name, "wrong password!", address="10.6.6.6")
    victim = world.users[Role.AUDITOR]
    victim.set_password(PASSWORD)
    victim.save()
    assert _sign_in(client, victim.username, PASSWORD, address="10.6.6.6").status_code == 429
    # The account itself was not attacked: from its owner's address it signs in.
    assert _sign_in(Client(), victim.username, PASSWORD, address="10.1.1.1").status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape_the_throttle(
    client, world, settings
):
    """Behind CFMP's TLS proxy the address that counts is the one the proxy appended last:
    a guesser who writes a new X-Forwarded-For each time is still one address."""
    settings.CFMP_BEHIND_TLS_PROXY = True
    names = [UserFactory(username=f"user{n}").username for n in range(5)]
    for n, name in enumerate(names):
        client.post(
            reverse("login"),
            {"username": name, "password": "wrong password!"},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 10.6.6.7",  # forged first, the proxy's last
        )
    victim = world.users[Role.AUDITOR]
    victim.set_password(PASSWORD)
    victim.save()
    refused = client.post(
        reverse("login"),
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.9, 10.6.6.7",
    )
    assert refused.status_code == 429
    other = client.post(  # another client behind the same proxy is not held back
        reverse("login"),
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="10.1.1.1",
    )
    assert other.status_code == 302


def test_fewer_failures_than_the_limit_then_the_right_password_signs_in(client, agent):
    for _ in range(4):
        _sign_in(client, agent.username, "wrong password!")
    assert _sign_in(client, agent.username, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_reset_by_email_end_to_end_and_it_lifts_the_lockout(client, agent, settings):
    for _ in range(5):
        _sign_in(client, agent.username, "wrong password!")
    response = client.post(reverse("password_reset"), {"email": agent.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [agent.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page = client.get(link.group(1), follow=True)
    assert b"Set a new password" in page.content
    new = "another long passphrase 42"
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert b"Password set" in done.content
    # The link works once.
    assert b"no longer works" in client.get(link.group(1), follow=True).content
    assert _sign_in(client, agent.username, new).status_code == 302
    kinds = set(SignInEvent.objects.filter(user=agent).values_list("kind", flat=True))
    assert {"reset_requested", "password_reset", "signed_in"} <= kinds


def test_an_unknown_address_is_answered_the_same_and_sends_nothing(client, agent):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov.pk"})
    assert response.status_code == 302 and mail.outbox == []


def test_a_reset_link_expires(client, agent, settings):
    from django.contrib.auth.tokens import PasswordResetTokenGenerator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    class Later(PasswordResetTokenGenerator):
        def _now(self):  # the link was made well over the timeout ago
            import datetime as dt

            return super()._now() - dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    token = Later().make_token(agent)
    uid = urlsafe_base64_encode(force_bytes(agent.pk))
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    assert b"no longer works" in client.get(url, follow=True).content


def test_changing_the_password_ends_the_accounts_other_sessions(agent):
    mine, other = Client(), Client()
    _sign_in(mine, agent.username, PASSWORD)
    _sign_in(other, agent.username, PASSWORD, address="10.0.0.2")
    assert _signed_in(mine) and _signed_in(other)
    new = "a brand new passphrase 7"
    response = mine.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _signed_in(mine)
    assert not _signed_in(other)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", "too short"),
        ("123456789012345", "entirely numeric"),
        ("abcabcabcabcabc", "pattern repeated"),
        ("x" * 129, "longer than 128"),
    ],
)
def test_passwords_are_held_to_the_standard(agent, password, problem):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=problem):
        validate_password(password, agent)


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_second_factor_is_required_of_call_centre_agents_when_on(client, agent, settings):
    settings.CFMP_REQUIRE_2FA = True
    assert _sign_in(client, agent.username, PASSWORD).status_code == 302
    response = client.get(reverse("feedback-list"))
    assert response.status_code == 302 and reverse("two-factor-setup") in response["Location"]
    page = client.get(reverse("two-factor-setup"))
    assert b"<svg" in page.content  # the code to scan
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    assert b"is not right" in client.post(reverse("two-factor-setup"), {"token": "000000"}).content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp's throttle: a pause after a miss
    device.throttle_reset()
    client.post(reverse("two-factor-setup"), {"token": _token(device)})
    assert client.get(reverse("feedback-list")).status_code == 200
    # The next sign-in asks for a code.
    client.post(reverse("logout"))
    _sign_in(client, agent.username, PASSWORD)
    response = client.get(reverse("feedback-list"))
    assert reverse("two-factor-verify") in response["Location"]
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second code may be used again in this test
    device.save()
    client.post(reverse("two-factor-verify"), {"token": _token(device)})
    assert client.get(reverse("feedback-list")).status_code == 200


def test_without_the_setting_only_those_who_turned_it_on_are_asked(client, world, settings):
    settings.CFMP_REQUIRE_2FA = False
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    assert client.get(reverse("feedback-list")).status_code == 200
    settings.CFMP_REQUIRE_2FA = True
    client.force_login(world.users[Role.AUDITOR])  # not a role it is required of
    assert client.get(reverse("feedback-list")).status_code == 200
    TOTPDevice.objects.create(user=world.users[Role.AUDITOR], name="phone", confirmed=True)
    response = client.get(reverse("feedback-list"))
    assert reverse("two-factor-verify") in response["Location"]


def test_the_sign_in_log_is_the_secretariats(client, world, agent):
    _sign_in(Client(), agent.username, "wrong password!", address="10.4.4.4")
    client.force_login(world.users[Role.SECRETARIAT])
    body = client.get(reverse("sign-in-log")).content.decode()
    assert agent.username in body and "10.4.4.4" in body and "wrong password!" not in body
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER, Role.CALL_CENTRE_AGENT):
        client.force_login(world.users[role])
        assert client.get(reverse("sign-in-log")).status_code == 403


def test_the_secretariat_lifts_a_lockout_from_the_user_admin(client, world, agent):
    for _ in range(5):
        _sign_in(Client(), agent.username, "wrong password!")
    assert _sign_in(Client(), agent.username, PASSWORD).status_code == 429
    url = reverse("admin:accounts_user_changelist")
    client.force_login(world.users[Role.AUDITOR])
    client.post(url, {"action": "lift_lockout", "_selected_action": [agent.pk]})
    assert _sign_in(Client(), agent.username, PASSWORD).status_code == 429
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(url, {"action": "lift_lockout", "_selected_action": [agent.pk]})
    assert _sign_in(Client(), agent.username, PASSWORD).status_code == 302


def test_the_secretariat_removes_a_lost_second_factor(client, world, agent):
    TOTPDevice.objects.create(user=agent, name="phone", confirmed=True)
    url = reverse("admin:accounts_user_changelist")
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER):
        client.force_login(world.users[role])
        client.post(url, {"action": "remove_second_factor", "_selected_action": [agent.pk]})
        assert TOTPDevice.objects.filter(user=agent).exists(), role
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(url, {"action": "remove_second_factor", "_selected_action": [agent.pk]})
    assert not TOTPDevice.objects.filter(user=agent).exists()
