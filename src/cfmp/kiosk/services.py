"""Kiosks: registration, enrolment and credentials, and each citizen's visit becoming
feedback (channel kiosk) — once, however often the device sends it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.core import keys
from cfmp.feedback.models import Category, Feedback, FeedbackChannel
from cfmp.feedback.services import record_feedback
from cfmp.intake.cnic import cnic_digest
from cfmp.intake.models import Transaction
from cfmp.intake.phones import normalise_phone
from cfmp.intake.services import hash_token_key
from cfmp.kiosk.fingerprint import Identity, identify
from cfmp.kiosk.models import Kiosk, KioskCredential, KioskEvent, KioskVisit, Rating
from cfmp.registry.models import Office, Service

CATEGORY_OF = {
    Rating.SATISFIED: Category.SATISFIED,
    Rating.MONEY: Category.BRIBE,
    Rating.DELAY: Category.DELAY,
    Rating.BEHAVIOUR: Category.MISBEHAVIOUR,
    Rating.OTHER: Category.OTHER_COMPLAINT,
}
ENROLMENT_HOURS = 48
LINK_DAYS = 7  # a verified citizen's feedback is about their transaction of the last week
MAX_AMOUNT = 10_000_000  # rupees: more is a slip of the finger, not a bribe
OLDEST_VISIT_DAYS = 7  # a visit kept offline longer than this is refused


class VisitRefused(Exception):
    """The visit is not taken; `code` for the device, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _new_code() -> str:
    """A one-time enrolment code, easy to type on a tablet: XXXX-XXXX-XXXX."""
    return "-".join(secrets.token_hex(2).upper() for _ in range(3))


def _digest(secret: str) -> str:
    """Codes and device keys are stored as HMACs under the kiosk key (CFMP_KIOSK_KEYS): a
    copied table cannot be searched for a twelve-digit code without it."""
    return keys.digests("kiosk", secret)[0]


def _lookups(secret: str) -> list[str]:
    # Every key of the overlap window, and the plain SHA-256 kiosks enrolled before keys
    # per purpose were stored with (issue 19).
    legacy = hash_token_key(secret) if secret.isascii() else ""  # codes and keys are ASCII
    return [*keys.digests("kiosk", secret), *([legacy] if legacy else [])]


def register_kiosk(
    *, office: Office, name: str, by: User, now: dt.datetime | None = None
) -> tuple[Kiosk, str]:
    """A new kiosk for an office; returns it and its one-time enrolment code (shown once,
    valid for two days)."""
    now = now or timezone.now()
    code = _new_code()
    kiosk = Kiosk.objects.create(
        office=office, name=name, registered_by=by, registered_at=now,
        enrolment_code_hash=_digest(code),
        enrolment_expires_at=now + dt.timedelta(hours=ENROLMENT_HOURS),
    )  # fmt: skip
    return kiosk, code


def new_enrolment_code(*, kiosk: Kiosk, now: dt.datetime | None = None) -> str:
    """Another one-time code for a kiosk (a replaced device); its credentials end."""
    now = now or timezone.now()
    code = _new_code()
    with transaction.atomic():
        KioskCredential.objects.filter(kiosk=kiosk, revoked_at__isnull=True).update(revoked_at=now)
        Kiosk.objects.filter(pk=kiosk.pk).update(
            enrolment_code_hash=_digest(code),
            enrolment_expires_at=now + dt.timedelta(hours=ENROLMENT_HOURS),
            revoked_at=None,
        )
    return code


def enrol_device(*, code: str, now: dt.datetime | None = None) -> tuple[Kiosk, str] | None:
    """The device's first call: the code (once, before it expires) for its own key."""
    now = now or timezone.now()
    code = code.strip().upper()
    with transaction.atomic():
        kiosk = (
            Kiosk.objects.select_for_update()
            .filter(enrolment_code_hash__in=_lookups(code), enrolment_expires_at__gt=now)
            .exclude(enrolment_code_hash="")
            .first()
        )
        if kiosk is None:
            return None
        kiosk.enrolment_code_hash = ""
        kiosk.enrolled_at = kiosk.last_seen_at = now
        kiosk.save(update_fields=["enrolment_code_hash", "enrolled_at", "last_seen_at"])
        return kiosk, _issue_key(kiosk, now)


def rotate_credential(*, kiosk: Kiosk, now: dt.datetime | None = None) -> str:
    """A new key for the device; the ones before stop working."""
    now = now or timezone.now()
    with transaction.atomic():
        KioskCredential.objects.filter(kiosk=kiosk, revoked_at__isnull=True).update(revoked_at=now)
        return _issue_key(kiosk, now)


def _issue_key(kiosk: Kiosk, now: dt.datetime) -> str:
    key = "kiosk_" + secrets.token_urlsafe(32)
    KioskCredential.objects.create(
        kiosk=kiosk, prefix=key[:12], key_hash=_digest(key), created_at=now
    )
    return key


def revoke_kiosk(*, kiosk: Kiosk, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        Kiosk.objects.filter(pk=kiosk.pk, revoked_at__isnull=True).update(revoked_at=now)
        KioskCredential.objects.filter(kiosk=kiosk, revoked_at__isnull=True).update(revoked_at=now)


def authenticate_device(key: str) -> Kiosk | None:
    """The kiosk a key belongs to, if both are in force. A revoked key that is still being
    used is worth the secretariat's attention."""
    credential = (
        KioskCredential.objects.select_related("kiosk__office")
        .filter(key_hash__in=_lookups(key))
        .first()
    )
    if credential is None:
        return None
    kiosk = credential.kiosk
    now = timezone.now()
    if credential.revoked_at is not None or not kiosk.is_active:
        note_event(kiosk=kiosk, kind=KioskEvent.Kind.REVOKED_USE,
                   detail=f"key {credential.prefix}… used after it was revoked", now=now,
                   once_within=dt.timedelta(hours=1))  # fmt: skip
        return None
    KioskCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return kiosk


def note_event(*, kiosk: Kiosk, kind: str, detail: str, now: dt.datetime,
               once_within: dt.timedelta) -> KioskEvent | None:  # fmt: skip
    """Record a tamper or abuse sign, unless the same was recorded lately."""
    if KioskEvent.objects.filter(kiosk=kiosk, kind=kind, at__gte=now - once_within).exists():
        return None
    return KioskEvent.objects.create(kiosk=kiosk, kind=kind, detail=detail[:300], at=now)


def record_contact(*, kiosk: Kiosk, device_time: dt.datetime | None,
                   now: dt.datetime | None = None) -> None:  # fmt: skip
    """The device was heard from: when, and how far its clock is from ours."""
    now = now or timezone.now()
    if device_time is None:
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
        return
    skew = (device_time - now).total_seconds()
    Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now, clock_skew_seconds=skew)
    if abs(skew) > settings.CFMP_KIOSK_MAX_CLOCK_SKEW_SECONDS:
        note_event(kiosk=kiosk, kind=KioskEvent.Kind.CLOCK_SKEW,
                   detail=f"the kiosk's clock is {skew:+.0f} s from the server's", now=now,
                   once_within=dt.timedelta(days=1))  # fmt: skip


@dataclass(frozen=True)
class VisitInput:
    client_id: str
    service: str  # code
    rating: str
    given_at: dt.datetime
    amount: int | None = None
    comment: str = ""
    mobile: str = ""
    fingerprint: str = ""  # base64 template
    office: str = ""  # what the device believes its office is (checked, never trusted)


def record_visit(*, kiosk: Kiosk, visit: VisitInput,
                 now: dt.datetime | None = None) -> tuple[KioskVisit, bool]:  # fmt: skip
    """The visit as feedback; returns it and whether it is new (False: sent before)."""
    now = now or timezone.now()
    try:
        client_id = uuid.UUID(visit.client_id)
    except (ValueError, AttributeError, TypeError):
        raise VisitRefused("bad_request", "client_id must be a UUID") from None
    existing = KioskVisit.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False  # sent before (by this device, perhaps under an old key)
    if visit.office and visit.office != kiosk.office.code:
        raise VisitRefused("wrong_office", "this kiosk may only give feedback on its own office")
    service = Service.objects.filter(
        code=visit.service, department_id=kiosk.office.department_id
    ).first()
    if service is None:
        raise VisitRefused("bad_service", f"{visit.service!r} is not a service of this office")
    if visit.rating not in Rating.values:
        raise VisitRefused("bad_request", f"rating must be one of {', '.join(Rating.values)}")
    given_at = _plausible(visit.given_at, now)
    visit = dataclasses.replace(visit, given_at=given_at)
    _check_rate(kiosk, visit.given_at, now)
    day = timezone.localdate(visit.given_at).isoformat()
    try:
        identity = identify(visit.fingerprint, day=day)
    except ValueError as problem:
        raise VisitRefused("bad_request", str(problem)) from None
    _check_identity(identity.day_hash, visit.given_at)
    try:
        with transaction.atomic():
            return _store(kiosk, client_id, service, visit, identity, now), True
    except IntegrityError:  # the same visit, sent twice at once
        return KioskVisit.objects.get(client_id=client_id), False


def _plausible(given_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The device's time of the visit, within reason: not in the future beyond the clock
    error allowed (then it is now), not older than a week kept offline."""
    if given_at > now + dt.timedelta(seconds=settings.CFMP_KIOSK_MAX_CLOCK_SKEW_SECONDS):
        return now
    if given_at < now - dt.timedelta(days=OLDEST_VISIT_DAYS):
        raise VisitRefused("bad_request", "kept on the device for too long")
    return given_at


def _check_rate(kiosk: Kiosk, given_at: dt.datetime, now: dt.datetime) -> None:
    """At most CFMP_KIOSK_VISITS_PER_MINUTE in any minute, by the device's clock (visits
    kept offline arrive together, but were given apart)."""
    recent = KioskVisit.objects.filter(
        kiosk=kiosk, given_at__gt=given_at - dt.timedelta(minutes=1), given_at__lte=given_at
    ).count()
    if recent >= settings.CFMP_KIOSK_VISITS_PER_MINUTE:
        note_event(kiosk=kiosk, kind=KioskEvent.Kind.RATE_LIMITED,
                   detail=f"more than {recent} visits within a minute", now=now,
                   once_within=dt.timedelta(minutes=10))  # fmt: skip
        raise VisitRefused("rate_limited", "too many visits in a minute at this kiosk")


def _check_identity(day_hash: str, given_at: dt.datetime) -> None:
    if not day_hash:
        return
    if (
        KioskVisit.objects.filter(identity_hash=day_hash).count()
        >= settings.CFMP_KIOSK_VISITS_PER_PERSON_PER_DAY
    ):
        raise VisitRefused("enough_today", "this person has already given feedback today")


def _store(
    kiosk: Kiosk,
    client_id: uuid.UUID,
    service: Service,
    visit: VisitInput,
    identity: Identity,
    now: dt.datetime,
) -> KioskVisit:
    category = CATEGORY_OF[Rating(visit.rating)]
    tx = _their_transaction(kiosk, service, identity.cnic, visit.given_at)
    survey = getattr(tx, "survey", None) if tx is not None else None
    feedback = record_feedback(
        channel=FeedbackChannel.KIOSK,
        transaction_id=tx.pk if tx is not None else None,
        survey_id=survey.pk if survey is not None else None,
        office_id=None if tx is not None else kiosk.office_id,
        service_id=None if tx is not None else service.pk,
        category=category,
        bribe_amount=visit.amount if category == Category.BRIBE and visit.amount else None,
        note=visit.comment[:2000],
    )
    stored = KioskVisit.objects.create(
        kiosk=kiosk, client_id=client_id, feedback=feedback, service=service,
        rating=visit.rating, given_at=visit.given_at, received_at=now,
        identity_hash=identity.day_hash, identity_verified=bool(identity.cnic),
    )  # fmt: skip
    if visit.mobile:
        _call_back(visit.mobile, feedback)
    return stored


def _their_transaction(
    kiosk: Kiosk, service: Service, cnic: str, given_at: dt.datetime
) -> Transaction | None:
    """The verified citizen's own transaction for this service at this office, this week."""
    if not cnic:
        return None
    recent = Transaction.objects.filter(
        cnic_digest=cnic_digest(cnic),
        office=kiosk.office,
        service=service,
        occurred_at__gte=given_at - dt.timedelta(days=LINK_DAYS),
        occurred_at__lte=given_at + dt.timedelta(hours=1),
    )
    return recent.order_by("-occurred_at").first()


def _call_back(mobile: str, feedback: Feedback) -> None:
    """The citizen left a number for a follow-up call: the call centre's queue."""
    from cfmp.feedback.callcentre import request_call
    from cfmp.feedback.models import CallRequest

    phone = normalise_phone(mobile)
    if phone.is_mobile:
        request_call(
            mobile=phone.e164, reason=CallRequest.Reason.CITIZEN_ASKED, about_feedback=feedback
        )
