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

from cfmp.kiosk import services
from cfmp.kiosk.models import Kiosk, Rating
from cfmp.registry.models import Service

logger = logging.getLogger(__name__)
MAX_BATCH = 200
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
    except ValueError:  # well formed, impossible ("2026-02-30")
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

    def post(self, request: Request) -> Response:
        enrolled = services.enrol_device(code=str(request.data.get("code", "")))
        if enrolled is None:
            return Response({"error": "unknown, used or expired enrolment code"}, status=400)
        kiosk, key = enrolled
        return Response({"key": key, **_config(kiosk)}, status=201)


class ConfigView(DeviceView):
    def get(self, request: Request) -> Response:
        return Response(_config(request.auth))


class RotateView(DeviceView):
    """The device replaces its own key; the one it used stops working."""

    def post(self, request: Request) -> Response:
        return Response({"key": services.rotate_credential(kiosk=request.auth)}, status=201)


class HeartbeatView(DeviceView):
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

    def post(self, request: Request) -> Response:
        data = request.data
        if isinstance(data, dict) and isinstance(data.get("visits"), list):
            items = data["visits"]
            if len(items) > MAX_BATCH:
                return Response({"error": f"at most {MAX_BATCH} visits at once"}, status=400)
            return Response({"results": [self._one(request.auth, item) for item in items]})
        result = self._one(request.auth, data)
        code = {"created": 201, "duplicate": 200, "error": 503}.get(result["status"])
        return Response(result, status=code or REFUSAL_STATUS[result["code"]])

    def _one(self, kiosk: Kiosk, item: Any) -> dict[str, Any]:
        """One visit's answer; never an exception, so one bad visit cannot hold back the
        rest of a kiosk's outbox."""
        if not isinstance(item, dict):
            return {"status": "refused", "code": "bad_request", "message": "not an object"}
        given_at = _when(item.get("given_at")) or timezone.now()
        amount = str(item.get("amount") or "").strip()
        if amount and (not amount.isdigit() or int(amount) > services.MAX_AMOUNT):
            message = f"amount must be whole rupees, at most {services.MAX_AMOUNT:,}"
            return {"client_id": str(item.get("client_id", "")), "status": "refused",
                    "code": "bad_request", "message": message}  # fmt: skip
        visit = services.VisitInput(
            client_id=str(item.get("client_id", "")), service=str(item.get("service", "")),
            rating=str(item.get("rating", "")), given_at=given_at,
            amount=int(amount) if amount.isdigit() else None,
            comment=str(item.get("comment") or ""), mobile=str(item.get("mobile") or ""),
            fingerprint=str(item.get("fingerprint") or ""), office=str(item.get("office") or ""),
        )  # fmt: skip
        try:
            stored, created = services.record_visit(kiosk=kiosk, visit=visit)
        except services.VisitRefused as refused:
            return {"client_id": visit.client_id, "status": "refused", "code": refused.code,
                    "message": str(refused)}  # fmt: skip
        except Exception:
            logger.exception("kiosk %s: visit %s not stored", kiosk.pk, visit.client_id)
            # Not settled: the device keeps it and sends it again later.
            return {"client_id": visit.client_id, "status": "error", "code": "server_error",
                    "message": "not stored, will be tried again"}  # fmt: skip
        return {
            "client_id": str(stored.client_id),
            "status": "created" if created else "duplicate",
            "feedback": stored.feedback_id,
        }
