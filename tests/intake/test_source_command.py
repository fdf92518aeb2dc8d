from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cfmp.intake.api import SourceTokenAuthentication
from cfmp.intake.models import SourceSystem, SourceToken
from cfmp.intake.services import allowed_office_ids

pytestmark = pytest.mark.django_db


def cfmp_source(*args):
    out, err = StringIO(), StringIO()
    call_command("source", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_a_source_limited_to_departments_and_offices(world):
    out, _ = cfmp_source(
        "add",
        "dlims",
        "--name",
        "Driving licences",
        "--departments",
        "police",
        "--offices",
        "MUL-HLT",
    )
    assert "created source dlims" in out
    source = SourceSystem.objects.get(code="dlims")
    assert allowed_office_ids(source=source, user=None) == {
        world.lahore_police.pk,
        world.multan_health.pk,
    }
    out, _ = cfmp_source("add", "dlims", "--departments", "revenue")
    assert "updated source dlims" in out
    assert allowed_office_ids(source=source, user=None) == {
        world.lahore_revenue.pk,
        world.multan_revenue.pk,
    }


def test_unknown_codes_are_refused_and_nothing_changes(world):
    with pytest.raises(CommandError, match="unknown department or office code"):
        cfmp_source("add", "x", "--departments", "fisheries")
    assert not SourceSystem.objects.filter(code="x").exists()


def test_a_token_is_printed_once_stored_hashed_and_revocable(world, rf):
    cfmp_source("add", "plra", "--departments", "revenue")
    key, note = cfmp_source("token", "plra", "--label", "production")
    key = key.strip()
    assert "shown only now" in note
    token = SourceToken.objects.get()
    assert key not in token.key_hash and token.prefix == key[:12]
    request = rf.post("/", HTTP_AUTHORIZATION=f"Token {key}")
    assert SourceTokenAuthentication().authenticate(request)[1] == token

    listing, _ = cfmp_source("list")
    assert f"token {token.prefix}…\tactive\tproduction" in listing
    cfmp_source("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="0 tokens match"):
        cfmp_source("revoke", "nope")
