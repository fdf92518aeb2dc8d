"""REST API for departmental systems: `POST /api/v1/transactions/`.

Authentication: `Authorization: Token <key>` (or `Bearer <key>`), one key per source system,
issued with `cfmp source token CODE`. A source may write only for its own offices.

The body is a JSON array of up to 1,000 transactions (or `{"transactions": [...]}`). The
answer is HTTP 200 whenever the batch was processed, with a status per item — `created`,
`already_present` (the reference was sent before: nothing changes) or `rejected` with field
errors — so a client retries only what was rejected. A body that is not JSON, not a list, or
longer than 1,000 items is refused whole with HTTP 400; a missing or revoked key gets 401.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cfmp.intake.models import SourceSystem, SourceToken, Transaction
from cfmp.intake.services import ItemResult, ItemStatus, hash_token_key, ingest_transactions
from cfmp.intake.validation import TransactionInput

MAX_BATCH = 1000
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SourceClient:
    """The caller of the API: a source system, not a person."""

    source: SourceSystem
    is_authenticated: bool = True
    is_active: bool = True
    pk: None = None
    role: str = ""
    is_superuser: bool = False


class SourceTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request: Request) -> tuple[SourceClient, SourceToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("send 'Authorization: Token <key>'")
        token = (
            SourceToken.objects.select_related("source")
            .filter(key_hash=hash_token_key(header[1]))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("unknown API key")
        if token.revoked_at is not None or not token.source.is_active:
            raise exceptions.AuthenticationFailed("this API key has been revoked")
        self._touch(token)
        return SourceClient(source=token.source), token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="cfmp"'

    @staticmethod
    def _touch(token: SourceToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
            SourceToken.objects.filter(pk=token.pk).update(last_used_at=now)


class SourceTokenScheme(OpenApiAuthenticationExtension):
    target_class = SourceTokenAuthentication
    name = "SourceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; issue a key with `cfmp source token CODE`.",
        }


class TransactionInSerializer(serializers.Serializer):
    """For the schema: what one item looks like. Items are validated by the intake service."""

    reference = serializers.CharField(max_length=100, help_text="Your system's own id.")
    occurred_at = serializers.CharField(
        help_text="ISO 8601 (2026-03-01T10:30:00+05:00) or DD/MM/YYYY HH:MM in Asia/Karachi."
    )
    service = serializers.CharField(help_text="Service code, e.g. driving-licence.")
    office = serializers.CharField(help_text="Office code.")
    official = serializers.CharField(required=False, help_text="Official's employee code.")
    citizen_name = serializers.CharField(max_length=200)
    mobile = serializers.CharField(
        required=False,
        help_text="As typed: 0300-1234567, +92 300 1234567, ... An unusable number (12345, "
        "a foreign or non-mobile number) or none rejects the item, unless no_mobile is true.",
    )
    no_mobile = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The citizen has no mobile: mobile must then be empty. Counted as such in "
        "data-quality reports.",
    )
    cnic = serializers.CharField(required=False, help_text="13 digits, dashes optional.")


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the item in the request.")
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=[s.value for s in ItemStatus])
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name to messages, for rejected items.",
    )
    flags = serializers.ListField(
        child=serializers.CharField(),
        help_text="Data-quality flags, e.g. landline, invalid_mobile, unverified_official.",
    )


class BatchSummarySerializer(serializers.Serializer):
    read = serializers.IntegerField()
    created = serializers.IntegerField()
    already_present = serializers.IntegerField()
    rejected = serializers.IntegerField()
    flagged = serializers.IntegerField()


class BatchResultSerializer(serializers.Serializer):
    summary = BatchSummarySerializer()
    results = ItemResultSerializer(many=True)


def _batch_items(data: Any) -> list[Any]:
    if isinstance(data, dict) and "transactions" in data:
        data = data["transactions"]
    if not isinstance(data, list):
        raise exceptions.ValidationError(
            {
                "detail": "the body must be a JSON array of transactions "
                "(or an object with a 'transactions' array)"
            }
        )
    if len(data) > MAX_BATCH:
        raise exceptions.ValidationError(
            {"detail": f"at most {MAX_BATCH} transactions per request; got {len(data)}"}
        )
    return data


def _result_json(result: ItemResult) -> dict[str, Any]:
    return {
        "index": result.key,
        # Echoed safely even when it was not valid text (a lone surrogate in the request).
        "reference": result.reference.encode("utf-8", "backslashreplace").decode(),
        "status": result.status.value,
        "errors": result.errors,
        "flags": result.flag_names,
    }


class TransactionBatchView(APIView):
    authentication_classes = [SourceTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="submit_transactions",
        summary="Submit up to 1,000 transactions",
        request=TransactionInSerializer(many=True),
        responses={200: BatchResultSerializer, 400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "One transaction",
                value=[
                    {
                        "reference": "DL-2026-000123",
                        "occurred_at": "2026-03-01T10:30:00+05:00",
                        "service": "driving-licence",
                        "office": "LHR-POL-DLC",
                        "official": "LHR-POL-2001",
                        "citizen_name": "Muhammad Asif",
                        "mobile": "0300-1234567",
                        "cnic": "35202-1234567-1",
                    }
                ],
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        raw_items = _batch_items(request.data)
        inputs: list[tuple[int, TransactionInput]] = []
        results: list[ItemResult] = []
        for index, raw in enumerate(raw_items):
            if isinstance(raw, dict):
                inputs.append((index, TransactionInput.from_mapping(raw)))
            else:
                results.append(
                    ItemResult(
                        index, "", ItemStatus.REJECTED, errors={"item": ["must be a JSON object"]}
                    )
                )
        report = ingest_transactions(
            source=request.user.source, items=inputs, on_result=results.append
        )
        report.read += len(raw_items) - len(inputs)
        report.rejected += len(raw_items) - len(inputs)
        results.sort(key=lambda r: r.key)
        return Response(
            {"summary": report.as_dict(), "results": [_result_json(r) for r in results]},
            status=status.HTTP_200_OK,
        )


class TransactionDetailView(APIView):
    authentication_classes = [SourceTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="get_transaction",
        summary="What CFMP holds for one of your references",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, reference: str) -> Response:
        if "\x00" in reference:
            raise exceptions.NotFound("no such reference")
        found = (
            Transaction.objects.filter(source=request.user.source, reference=reference)
            .annotate(
                service_code=F("service__code"),
                office_code=F("office__code"),
                official_code=F("official__employee_code"),
            )
            .values(
                "reference",
                "occurred_at",
                "service_code",
                "office_code",
                "official_code",
                "sms_block",
                "quality_flags",
                "created_at",
            )
            .first()
        )
        if found is None:
            raise exceptions.NotFound(f"no transaction with reference {reference!r}")
        return Response(found)
