"""The kiosk device API as the OpenAPI schema shows it (issue 18: every door documented,
with its request body, so Schemathesis can drive it). Serializers here only describe."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers


class KioskKeyScheme(OpenApiAuthenticationExtension):
    target_class = "cfmp.kiosk.api.KioskKeyAuthentication"
    name = "KioskKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Kiosk <key>`, the key the device got at enrolment.",
        }


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class EnrolInSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The one-time enrolment code, XXXX-XXXX-XXXX.")


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_ur = serializers.CharField()


class OfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ConfigSerializer(serializers.Serializer):
    kiosk = serializers.CharField()
    office = OfficeSerializer()
    services = ServiceSerializer(many=True)
    ratings = serializers.ListField(child=serializers.CharField())
    fingerprint_simulator = serializers.BooleanField()


class EnrolledSerializer(ConfigSerializer):
    key = serializers.CharField()


class KeySerializer(serializers.Serializer):
    key = serializers.CharField()


class HeartbeatSerializer(serializers.Serializer):
    server_time = serializers.DateTimeField()


class VisitInSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="The device's own id of the visit.")
    service = serializers.CharField(help_text="A service code of the kiosk's office.")
    rating = serializers.CharField(help_text="satisfied, money, delay, behaviour or other.")
    given_at = serializers.DateTimeField(required=False, help_text="ISO 8601 with offset.")
    amount = serializers.IntegerField(required=False, min_value=0, help_text="Rupees asked.")
    comment = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)
    fingerprint = serializers.CharField(required=False)
    office = serializers.CharField(required=False)


class VisitBatchInSerializer(serializers.Serializer):
    visits = VisitInSerializer(many=True, help_text="Up to 200 visits kept offline.")


class VisitResultSerializer(serializers.Serializer):
    client_id = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=["created", "duplicate", "refused", "error"])
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)
    feedback = serializers.IntegerField(required=False, allow_null=True)


class VisitBatchResultSerializer(serializers.Serializer):
    results = VisitResultSerializer(many=True)


COMMON = {
    400: OpenApiResponse(DetailSerializer, description="A body that is not JSON."),
    401: OpenApiResponse(DetailSerializer, description="No key, or a revoked one."),
    415: OpenApiResponse(DetailSerializer, description="Not application/json."),
}
enrol = extend_schema(
    operation_id="kiosk_enrol",
    summary="Enrol a device with its one-time code",
    request=EnrolInSerializer,
    responses={
        201: EnrolledSerializer,
        **COMMON,
        400: PolymorphicProxySerializer(
            component_name="EnrolRefusal",
            serializers=[ErrorSerializer, DetailSerializer],
            resource_type_field_name=None,
        ),
    },
)
config = extend_schema(
    operation_id="kiosk_config", summary="The device's office, services and ratings",
    responses={200: ConfigSerializer, **COMMON},
)  # fmt: skip
rotate = extend_schema(
    operation_id="kiosk_rotate", summary="Replace the device's key", request=None,
    responses={201: KeySerializer, **COMMON},
)  # fmt: skip
heartbeat = extend_schema(
    operation_id="kiosk_heartbeat", summary="The device is alive; the server's time",
    request=None, responses={200: HeartbeatSerializer, **COMMON},
)  # fmt: skip
visit = VisitResultSerializer
visits = extend_schema(
    operation_id="kiosk_visits",
    summary="One visit, or a batch kept while offline",
    request=PolymorphicProxySerializer(
        component_name="VisitOrBatch",
        serializers=[VisitInSerializer, VisitBatchInSerializer],
        resource_type_field_name=None,
    ),
    responses={
        200: PolymorphicProxySerializer(
            component_name="VisitAnswer",
            serializers=[VisitResultSerializer, VisitBatchResultSerializer],
            resource_type_field_name=None,
        ),
        201: visit, 202: visit, 403: visit, 409: visit, 429: visit, 503: visit,
        400: PolymorphicProxySerializer(
            component_name="VisitRefusal", serializers=[visit, ErrorSerializer, DetailSerializer],
            resource_type_field_name=None,
        ),
        401: COMMON[401], 415: COMMON[415],
    },
)  # fmt: skip
