"""The kiosk device's API. Every call but enrolment carries the device's key
(`Authorization: Kiosk <key>`) and its clock (`X-Kiosk-Time`, ISO 8601); a key is good
for its own office only, and a revoked one is refused."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import authentication, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cfmp.core import quarantine
from cfmp.core.bounds import OutOfBounds, bounded_int, clean_text
from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.kiosk import schema, services
from cfmp.kiosk.models import Kiosk, Rating
from cfmp.registry.models import Service

logger = logging.getLogger(__name__)
MAX_BATCH = 200
MAX_COMMENT = 2000  # characters of a citizen's comment; more is cut, never refused
REFUSAL_STATUS = {
    "bad_request": status.HTTP_400_BAD_REQUEST,
    "bad_service": status.HTTP_400_BAD_REQUEST,
    "wrong_office": status.HTTP_403_FORBIDDEN,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "enough_today": status.HTTP_409_CONFLICT,
}


@dataclass(frozen=True)
class KioskDevice:
    kiosk: Kiosk
    is_authenticated: bool = True


class KioskKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[KioskDevice, Kiosk] | None:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Kiosk":
            return None
        kiosk = services.authenticate_device(key.strip())
        if kiosk is None:
            raise AuthenticationFailed("unknown or revoked kiosk key")
        services.record_contact(kiosk=kiosk, device_time=_when(request.headers.get("X-Kiosk-Time")))
        return KioskDevice(kiosk), kiosk

    def authenticate_header(self, request: Request) -> str:
        return "Kiosk"


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value)
    except (ValueError, OverflowError):  # well formed, impossible ("2026-02-30")
        return None
    if parsed is None or timezone.is_naive(parsed):
        return None
    return parsed


class DeviceView(APIView):
    authentication_classes = [KioskKeyAuthentication]
    permission_classes = [IsAuthenticated]


class EnrolView(APIView):
    """The device's first call: its one-time enrolment code for its own key."""

    authentication_classes: list = []
    permission_classes: list = []

    @schema.enrol
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        enrolled = services.enrol_device(code=str(data.get("code", "")))
        if enrolled is None:
            return Response({"error": "unknown, used or expired enrolment code"}, status=400)
        kiosk, key = enrolled
        return Response({"key": key, **_config(kiosk)}, status=201)


class ConfigView(DeviceView):
    @schema.config
    def get(self, request: Request) -> Response:
        return Response(_config(request.auth))


class RotateView(DeviceView):
    """The device replaces its own key; the one it used stops working."""

    @schema.rotate
    def post(self, request: Request) -> Response:
        return Response({"key": services.rotate_credential(kiosk=request.auth)}, status=201)


class HeartbeatView(DeviceView):
    @schema.heartbeat
    def post(self, request: Request) -> Response:
        return Response({"server_time": timezone.now().isoformat()})


def _config(kiosk: Kiosk) -> dict[str, Any]:
    services_here = Service.objects.filter(department_id=kiosk.office.department_id)
    return {
        "kiosk": kiosk.name,
        "office": {"code": kiosk.office.code, "name": kiosk.office.name},
        "services": [
            {"code": s.code, "name": s.name, "name_ur": s.name_ur}
            for s in services_here.order_by("name")
        ],
        "ratings": Rating.values,
        # Without a scanner driver on the device, the page offers a simulated thumb only
        # when the server verifies with the simulator (demo, development).
        "fingerprint_simulator": settings.CFMP_KIOSK_IDENTITY == "simulator",
    }


class VisitsView(DeviceView):
    """One visit, or up to 200 kept while the network was down (`{"visits": [...]}`),
    answered in order. A visit sent again is answered "duplicate" and changes nothing."""

    @schema.visits
    def post(self, request: Request) -> Response:
        data = request.data
        if isinstance(data, dict) and isinstance(data.get("visits"), list):
            items = data["visits"]
            if len(items) > MAX_BATCH:
                return Response({"error": f"at most {MAX_BATCH} visits at once"}, status=400)
            return Response({"results": [self._one(request.auth, item) for item in items]})
        result = self._one(request.auth, data)
        code = {"created": 201, "duplicate": 200, "error": 503}.get(result["status"])
        if result.get("code") == "quarantined":
            code = 202
        return Response(result, status=code or REFUSAL_STATUS[result["code"]])

    def _one(self, kiosk: Kiosk, item: Any) -> dict[str, Any]:
        """One visit's answer; never an exception, so one bad visit cannot hold back the
        rest of a kiosk's outbox. A bad value is refused naming its field; a visit that
        fails for another reason stays on the device ("error", sent again later) and is
        quarantined here with its fields, until after the last try it is settled as kept
        for the secretariat (cfmp.core.quarantine), so the outbox never sticks."""
        if not isinstance(item, dict):
            return {"status": "refused", "code": "bad_request", "message": "not an object"}
        client_id = str(item.get("client_id", ""))[:64]
        try:
            visit = _visit_input(item)
        except OutOfBounds as problem:
            return {"client_id": client_id, "status": "refused", "code": "bad_request",
                    "message": f"{problem.field}: {problem.message}"}  # fmt: skip
        key = f"{kiosk.pk}:{visit.client_id}"
        try:
            stored, created = services.record_visit(kiosk=kiosk, visit=visit)
        except services.VisitRefused as refused:
            return {"client_id": visit.client_id, "status": "refused", "code": refused.code,
                    "message": str(refused)}  # fmt: skip
        except Exception as problem:
            logger.exception("kiosk %s: visit %s not stored", kiosk.pk, visit.client_id)
            kept = quarantine.record_failure(
                pipeline=Pipeline.KIOSK_VISITS, item=key,
                error=f"{type(problem).__name__}: {problem}", payload=_payload(item),
            )  # fmt: skip
            if kept.state == QuarantinedItem.State.FAILED:
                return {"client_id": visit.client_id, "status": "refused", "code": "quarantined",
                        "message": "kept for the secretariat to look into"}  # fmt: skip
            # Not settled: the device keeps it and sends it again later.
            return {"client_id": visit.client_id, "status": "error", "code": "server_error",
                    "message": "not stored, will be tried again"}  # fmt: skip
        quarantine.release(Pipeline.KIOSK_VISITS, [key])
        return {
            "client_id": str(stored.client_id),
            "status": "created" if created else "duplicate",
            "feedback": stored.feedback_id,
        }


def _text(item: dict[str, Any], name: str, max_length: int, *, strict: bool = True) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise OutOfBounds(name, "must be a string")
    return clean_text(
        str(value), field=name, max_length=max_length, strict=strict, one_line=strict
    ).strip()


def _visit_input(item: dict[str, Any]) -> services.VisitInput:
    """The visit's fields, each within bounds (cfmp.core.bounds), or OutOfBounds naming it."""
    # A device's impossible clock reading is taken as now rather than refused: refusing
    # would drop the citizen's visit from the device (services bound it further).
    given_at = _when(item.get("given_at")) or timezone.now()
    amount = item.get("amount")
    return services.VisitInput(
        client_id=_text(item, "client_id", 64), service=_text(item, "service", 100),
        rating=_text(item, "rating", 20), given_at=given_at,
        amount=None if amount in (None, "") else bounded_int(
            amount, field="amount", minimum=0, maximum=services.MAX_AMOUNT
        ),
        comment=_text(item, "comment", MAX_COMMENT, strict=False),
        mobile=_text(item, "mobile", 32), fingerprint=_text(item, "fingerprint", 4096),
        office=_text(item, "office", 100),
    )  # fmt: skip


def replay_visit(item: str, payload: dict[str, Any]) -> None:
    """A quarantined visit recorded again from its kept fields (no fingerprint is kept: it
    lands as a walk-in's); raises if it still cannot be recorded or is refused."""
    kiosk = Kiosk.objects.select_related("office").get(pk=int(item.partition(":")[0]))
    services.record_visit(kiosk=kiosk, visit=_visit_input(payload))


def _payload(item: dict[str, Any]) -> dict[str, Any]:
    """What the device sent, as JSON any database stores (text cleaned), for the admin."""
    return {
        str(name)[:50]: clean_text(str(value), field="payload", max_length=2000, strict=False)
        for name, value in list(item.items())[:20]
        if name != "fingerprint" and value is not None
    }
