"""Watching the kiosks for the secretariat: one silent for too long (switched off,
unplugged, tampered with), and one reporting far more praise than its office's citizens
say by SMS (staff filling it in)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from scipy.stats import binom

from cfmp.feedback.models import Category, Feedback, FeedbackChannel
from cfmp.kiosk.models import Kiosk, KioskEvent, KioskVisit, Rating
from cfmp.kiosk.services import note_event
from cfmp.outreach.window import SendWindow

PRAISE_DAYS = 7
PRAISE_MIN_VISITS = 30
PRAISE_MARGIN = 0.15  # kiosk's share of praise above the SMS share, at least…
PRAISE_P = 0.001  # …and beyond chance


def detect_offline_kiosks(*, now: dt.datetime | None = None) -> list[KioskEvent]:
    """Enrolled kiosks not heard from for CFMP_KIOSK_OFFLINE_MINUTES while offices are open
    (the outreach window; a kiosk may sleep at night): one event per silence."""
    now = now or timezone.now()
    if not SendWindow.current().contains(now):
        return []
    silent_since = now - dt.timedelta(minutes=settings.CFMP_KIOSK_OFFLINE_MINUTES)
    silent = Kiosk.objects.filter(
        enrolled_at__isnull=False, revoked_at__isnull=True, last_seen_at__lt=silent_since
    )
    events = []
    for kiosk in silent:
        last_seen = kiosk.last_seen_at or now
        already = KioskEvent.objects.filter(
            kiosk=kiosk, kind=KioskEvent.Kind.OFFLINE, at__gte=last_seen
        ).exists()
        if not already:
            minutes = (now - last_seen).total_seconds() / 60
            events.append(KioskEvent.objects.create(
                kiosk=kiosk, kind=KioskEvent.Kind.OFFLINE, at=now,
                detail=f"not heard from for {minutes:.0f} minutes",
            ))  # fmt: skip
    return events


def detect_praise_gaps(*, now: dt.datetime | None = None) -> list[KioskEvent]:
    """Kiosks whose last week is far more 'satisfied' than their office's SMS replies: at
    least PRAISE_MARGIN more, and a one-sided binomial test against the SMS share below
    PRAISE_P (so a handful of happy citizens is not an accusation)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=PRAISE_DAYS)
    events = []
    for kiosk in Kiosk.objects.filter(revoked_at__isnull=True).select_related("office"):
        visits = KioskVisit.objects.filter(kiosk=kiosk, given_at__gte=since).aggregate(
            n=Count("pk"), praise=Count("pk", filter=Q(rating=Rating.SATISFIED))
        )
        if visits["n"] < PRAISE_MIN_VISITS:
            continue
        sms = Feedback.objects.filter(
            channel=FeedbackChannel.SMS, transaction__office=kiosk.office, created_at__gte=since
        ).exclude(category__in=(Category.UNCLEAR, Category.OPT_OUT))
        replies = sms.aggregate(n=Count("pk"), praise=Count("pk", filter=Q(category="satisfied")))
        if not replies["n"]:
            continue
        expected = replies["praise"] / replies["n"]
        observed = visits["praise"] / visits["n"]
        p_value = float(binom.sf(visits["praise"] - 1, visits["n"], min(expected, 0.999)))
        if observed - expected >= PRAISE_MARGIN and p_value < PRAISE_P:
            event = note_event(
                kiosk=kiosk, kind=KioskEvent.Kind.PRAISE_GAP, now=now,
                detail=f"{observed:.0%} satisfied at the kiosk ({visits['n']} visits) against "
                f"{expected:.0%} in the office's SMS replies ({replies['n']}), last 7 days",
                once_within=dt.timedelta(days=PRAISE_DAYS),
            )  # fmt: skip
            if event is not None:
                events.append(event)
    return events


def open_events() -> list[KioskEvent]:
    """Signs not yet seen, newest first (the command centre's panel)."""
    return list(
        KioskEvent.objects.filter(acknowledged_at__isnull=True)
        .select_related("kiosk__office")
        .order_by("-at")[:10]
    )
