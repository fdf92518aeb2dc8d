import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.registry.models import Official, Posting

pytestmark = pytest.mark.django_db


def test_admin_office_list_is_scoped_like_everything_else(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    body = client.get(reverse("admin:registry_office_changelist")).content.decode()
    assert "LHR-REV" in body and "MUL-REV" not in body


def test_admin_refuses_an_office_outside_scope(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    url = reverse("admin:registry_office_change", args=[world.multan_revenue.pk])
    response = client.get(url, follow=True)
    # Django's admin redirects a missing object to the index with a message: never shows it.
    assert "MUL-REV" not in response.content.decode()


def test_only_the_secretariat_may_change_the_registry(client, world):
    url = reverse("admin:registry_office_change", args=[world.lahore_revenue.pk])
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert b'name="_save"' not in client.get(url).content  # a read-only page
    client.force_login(world.users[Role.AUDITOR])
    assert client.post(reverse("admin:registry_office_add"), {}).status_code == 403
    client.force_login(world.users[Role.SECRETARIAT])
    assert client.get(reverse("admin:registry_office_add")).status_code == 200


def test_roles_outside_the_admin_are_kept_out(client, world):
    for role in (Role.OFFICE_HEAD, Role.CALL_CENTRE_AGENT, Role.DATA_ENTRY_OPERATOR):
        client.force_login(world.users[role])
        response = client.get(reverse("admin:registry_office_changelist"))
        assert response.status_code == 302, role


def test_user_admin_is_the_secretariats(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert ">dept<" not in body and ">sec<" not in body
    client.force_login(world.users[Role.SECRETARIAT])
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert ">dept<" in body and ">aud<" in body


def test_changing_an_officials_office_in_the_admin_is_a_recorded_transfer(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    official = world.officials["LHR-REV"]
    url = reverse("admin:registry_official_change", args=[official.pk])
    response = client.post(
        url,
        {
            "employee_code": official.employee_code,
            "name": official.name,
            "designation": official.designation,
            "office": world.lahore_police.pk,
            "is_verified": "on",
            "postings-TOTAL_FORMS": "1",
            "postings-INITIAL_FORMS": "1",
            "postings-MIN_NUM_FORMS": "0",
            "postings-MAX_NUM_FORMS": "1000",
            "postings-0-id": Posting.objects.get(official=official).pk,
            "postings-0-official": official.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Official.objects.get(pk=official.pk).office == world.lahore_police
    offices = list(
        Posting.objects.filter(official=official)
        .order_by("started_on")
        .values_list("office__code", "ended_on")
    )
    assert [code for code, _ in offices] == ["LHR-REV", "LHR-POL"]
    assert offices[0][1] is not None and offices[1][1] is None


def test_an_office_head_cannot_be_saved_without_an_office(client, world):
    client.force_login(world.users[Role.SECRETARIAT])
    user = world.users[Role.AUDITOR]
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = client.post(
        url,
        {
            "username": user.username,
            "role": Role.OFFICE_HEAD,
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200  # the form comes back with the constraint's error
    user.refresh_from_db()
    assert user.role == Role.AUDITOR
