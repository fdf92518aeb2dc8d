import pytest
from django.urls import reverse

from cfmp.intake.models import Transaction
from cfmp.intake.services import issue_source_token, revoke_source_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/transactions/"


def item(reference="A-1", **overrides):
    data = {
        "reference": reference,
        "occurred_at": "2026-03-01T10:30:00+05:00",
        "service": "property-registration",
        "office": "LHR-REV",
        "official": "LHR-REV-1",
        "citizen_name": "Muhammad Asif",
        "mobile": "0300-1234567",
    }
    data.update(overrides)
    return data


@pytest.fixture
def revenue_key(revenue_system):
    return issue_source_token(source=revenue_system)[1]


@pytest.fixture
def police_key(police_system):
    return issue_source_token(source=police_system)[1]


def post(client, key, body, content_type="application/json"):
    import json

    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, payload, content_type=content_type, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_batch_with_bad_items_creates_the_good_and_reports_the_bad(client, revenue_key):
    response = post(
        client,
        revenue_key,
        [
            item("A-1"),
            item("A-2", service="passport"),
            item("A-3", mobile="042-35880062"),
            "not an object",
            item("A-4", occurred_at="tomorrow"),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {
        "read": 5,
        "created": 2,
        "already_present": 0,
        "rejected": 3,
        "flagged": 2,
    }
    statuses = [(r["index"], r["reference"], r["status"]) for r in body["results"]]
    assert statuses == [
        (0, "A-1", "created"),
        (1, "A-2", "rejected"),
        (2, "A-3", "created"),
        (3, "", "rejected"),
        (4, "A-4", "rejected"),
    ]
    assert body["results"][1]["errors"] == {"service": ["unknown service 'passport'"]}
    assert body["results"][2]["flags"] == ["landline"]
    assert body["results"][3]["errors"] == {"item": ["must be a JSON object"]}
    assert set(Transaction.objects.values_list("reference", flat=True)) == {"A-1", "A-3"}


def test_resending_a_batch_changes_nothing(client, revenue_key):
    post(client, revenue_key, [item("A-1"), item("A-2")])
    body = post(client, revenue_key, {"transactions": [item("A-1"), item("A-2")]}).json()
    assert body["summary"]["already_present"] == 2
    assert Transaction.objects.count() == 2


def test_a_token_for_one_source_cannot_write_to_another_systems_offices(
    client, revenue_key, police_key
):
    body = post(client, police_key, [item("P-1")]).json()
    assert body["results"][0]["status"] == "rejected"
    assert "office" in body["results"][0]["errors"]
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "JSON parse error"),
        ("", "must be a JSON array"),
        ('{"reference": "x"}', "must be a JSON array"),
        ("42", "must be a JSON array"),
    ],
)
def test_a_malformed_body_gets_400_with_a_clear_message(client, revenue_key, payload, message):
    response = post(client, revenue_key, payload)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_more_than_1000_items_are_refused_whole(client, revenue_key):
    response = post(client, revenue_key, [item(f"B-{n}") for n in range(1001)])
    assert response.status_code == 400
    assert "at most 1000" in response.json()["detail"]
    assert not Transaction.objects.exists()


def test_missing_wrong_and_revoked_keys_get_401(client, revenue_system):
    token, key = issue_source_token(source=revenue_system)
    assert client.post(URL, "[]", content_type="application/json").status_code == 401
    assert post(client, "cfmp_wrong", [item()]).status_code == 401
    revoke_source_token(token=token)
    response = post(client, key, [item()])
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert not Transaction.objects.exists()


def test_a_signed_in_person_cannot_use_the_api_with_their_session(client, world):
    from cfmp.accounts.models import Role

    client.force_login(world.users[Role.SECRETARIAT])
    assert client.post(URL, "[]", content_type="application/json").status_code == 401


def test_a_source_reads_back_its_own_transaction_only(client, revenue_key, police_key):
    post(client, revenue_key, [item("A-1")])
    url = reverse("api-transaction-detail", args=["A-1"])
    own = client.get(url, HTTP_AUTHORIZATION=f"Token {revenue_key}")
    assert own.status_code == 200
    assert own.json()["office_code"] == "LHR-REV"
    assert "citizen_name" not in own.json()
    other = client.get(url, HTTP_AUTHORIZATION=f"Token {police_key}")
    assert other.status_code == 404


def test_openapi_schema_and_interactive_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/transactions/" in schema.content
    assert b"SourceToken" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_nul_and_broken_text_are_rejected_items_not_server_errors(client, revenue_key):
    body = '[{"reference": "N-1", "occurred_at": "2026-03-01T10:30:00+05:00", '
    body += '"service": "fard", "office": "LHR-REV", "citizen_name": "A\\u0000B", '
    body += '"mobile": "03001234567"}, {"reference": "N-2\\ud800", "citizen_name": "x"}]'
    response = post(client, revenue_key, body)
    assert response.status_code == 200
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["rejected", "rejected"]
    lookup = client.get("/api/v1/transactions/a%00b/", HTTP_AUTHORIZATION=f"Token {revenue_key}")
    assert lookup.status_code == 404


def test_an_unusable_number_rejects_the_item_unless_it_says_no_mobile(client, revenue_key):
    response = post(
        client,
        revenue_key,
        [
            item("M-1", mobile="12345"),
            item("M-2", mobile=""),
            item("M-3", mobile="", no_mobile=True),
            item("M-4", mobile="0300-1234567", no_mobile=True),
            item("M-5", mobile="", no_mobile="perhaps"),
        ],
    )
    results = {r["reference"]: r for r in response.json()["results"]}
    assert {ref: r["status"] for ref, r in results.items()} == {
        "M-1": "rejected",
        "M-2": "rejected",
        "M-3": "created",
        "M-4": "rejected",
        "M-5": "rejected",
    }
    assert results["M-1"]["errors"] == {
        "mobile": ["'12345' is not a valid Pakistani mobile number."]
    }
    assert results["M-3"]["flags"] == ["no_mobile"]
    assert results["M-5"]["errors"]["no_mobile"] == ["must be true or false"]
    assert list(Transaction.objects.values_list("reference", flat=True)) == ["M-3"]
