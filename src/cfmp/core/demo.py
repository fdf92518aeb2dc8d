"""Demo data for `make run`: a few offices and officials in several districts, and one user per
role. Safe to run again: offices and officials are upserted; existing users are left alone."""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cfmp.accounts.models import Role, User
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.registry.models import Department, District, Office, Official
from cfmp.registry.names_ur import fill_urdu_names
from cfmp.registry.services import upsert_office, upsert_official

# (district, department, office code, office name, [(employee code, name, designation)])
DEMO_OFFICES = [
    (
        "lahore",
        "revenue",
        "LHR-REV-AIT",
        "Registry Branch, Allama Iqbal Town",
        [
            ("LHR-REV-1001", "Muhammad Asghar", "Sub-Registrar"),
            ("LHR-REV-1002", "Khurshid-ur-Zaman", "Registry Clerk"),
        ],
    ),
    (
        "lahore",
        "police",
        "LHR-POL-DLC",
        "Driving Licence Centre, Liberty",
        [
            ("LHR-POL-2001", "Imran Yousaf", "Licensing Officer"),
            ("LHR-POL-2002", "Sana Tariq", "Data Entry Clerk"),
        ],
    ),
    (
        "lahore",
        "health",
        "LHR-HLT-SIH",
        "Services Hospital OPD",
        [
            ("LHR-HLT-3001", "Dr. Ayesha Malik", "Medical Officer"),
        ],
    ),
    (
        "kasur",
        "health",
        "KSR-HLT-RHC-MUS",
        "RHC Mustafabad",
        [
            ("KSR-HLT-3101", "Zahid Iqbal", "Dispenser"),
            ("KSR-HLT-3102", "Dr. Farhan Ali", "Medical Officer"),
        ],
    ),
    (
        "multan",
        "revenue",
        "MUL-REV-DOM",
        "Domicile Branch, DC Office Multan",
        [
            ("MUL-REV-1101", "Naveed Akhtar", "Domicile Clerk"),
        ],
    ),
    (
        "multan",
        "excise",
        "MUL-EXC-MRA",
        "Motor Registration Authority, Multan",
        [
            ("MUL-EXC-4001", "Rabia Saleem", "Motor Registering Authority"),
        ],
    ),
    (
        "rawalpindi",
        "revenue",
        "RWP-REV-DOM",
        "Domicile Branch, DC Office Rawalpindi",
        [
            ("RWP-REV-1201", "Tariq Mehmood", "Domicile Clerk"),
        ],
    ),
    (
        "faisalabad",
        "revenue",
        "FSD-REV-CITY",
        "Registry Branch, Faisalabad City",
        [
            ("FSD-REV-1301", "Ashraf Sialvi", "Sub-Registrar"),
        ],
    ),
    (
        "sheikhupura",
        "revenue",
        "SKP-REV-FRZ",
        "Registry Branch, Ferozewala",
        [
            ("SKP-REV-1401", "Rana Nazar", "Registry Clerk"),
        ],
    ),
    (
        "rahim-yar-khan",
        "revenue",
        "RYK-REV-DOM",
        "Domicile Branch, DC Office Rahim Yar Khan",
        [
            ("RYK-REV-1501", "Shahid Hussain", "Domicile Clerk"),
        ],
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    scope: str = ""  # district code, department code or office code, by role


DEMO_USERS = [
    DemoUser("secretariat", "Hasnain", "Iqbal", Role.SECRETARIAT),
    DemoUser("dept.revenue", "Saima", "Khan", Role.DEPARTMENT_OFFICER, "revenue"),
    DemoUser("do.lahore", "Bilal", "Ahmed", Role.DISTRICT_OFFICER, "lahore"),
    DemoUser("do.multan", "Nadia", "Qureshi", Role.DISTRICT_OFFICER, "multan"),
    DemoUser("head.lhr-rev-ait", "Usman", "Raza", Role.OFFICE_HEAD, "LHR-REV-AIT"),
    DemoUser("agent", "Maryam", "Javed", Role.CALL_CENTRE_AGENT),
    DemoUser("operator", "Kamran", "Shah", Role.DATA_ENTRY_OPERATOR, "LHR-REV-AIT,LHR-POL-DLC"),
    DemoUser("auditor", "Ali", "Haider", Role.AUDITOR),
]
STAFF_ROLES = {Role.SECRETARIAT, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER, Role.AUDITOR}


@transaction.atomic
def load_demo_registry() -> int:
    today = timezone.localdate()
    count = 0
    for district_code, department_code, code, name, officials in DEMO_OFFICES:
        office, _ = upsert_office(
            code=code,
            name=name,
            department=Department.objects.get(code=department_code),
            district=District.objects.get(code=district_code),
        )
        count += 1
        for employee_code, official_name, designation in officials:
            upsert_official(
                employee_code=employee_code,
                name=official_name,
                designation=designation,
                office=office,
                effective_on=today,
            )
    fill_urdu_names()  # the demo's offices and officials in Urdu, for Urdu pages
    return count


@transaction.atomic
def create_demo_users() -> tuple[list[str], str | None]:
    """Create the demo users that do not exist yet, all with one new random password.

    Returns the usernames created and that password (None when nothing was created): the
    caller prints it once; it is stored only as a hash.
    """
    missing = [d for d in DEMO_USERS if not User.objects.filter(username=d.username).exists()]
    if not missing:
        return [], None
    password = secrets.token_urlsafe(12)
    for demo in missing:
        user = User(
            username=demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            role=demo.role,
            is_staff=demo.role in STAFF_ROLES,
        )
        if demo.role == Role.DEPARTMENT_OFFICER:
            user.department = Department.objects.get(code=demo.scope)
        elif demo.role == Role.DISTRICT_OFFICER:
            user.district = District.objects.get(code=demo.scope)
        elif demo.role == Role.OFFICE_HEAD:
            user.office = Office.objects.get(code=demo.scope)
        user.set_password(password)
        user.save()
        if demo.role == Role.DATA_ENTRY_OPERATOR:
            user.assigned_offices.set(Office.objects.filter(code__in=demo.scope.split(",")))
    return [d.username for d in missing], password


# Demo citizens: names and numbers drawn at random; a few numbers are landlines or mistyped,
# as in real submissions, and numbers repeat now and then (the fatigue rule shows).
FIRST_NAMES = (
    "Muhammad Akram",
    "Shazia Parveen",
    "Ghulam Rasool",
    "Nasreen Bibi",
    "Abdul Sattar",
    "Rukhsana Kausar",
    "Waqas Ahmed",
    "Sadia Noreen",
    "Allah Ditta",
    "Farzana Yasmin",
    "Zubair Hussain",
    "Kiran Shahzadi",
    "محمد ارشد",
    "نسیم اختر",
    "شاہد محمود",
    "رضیہ سلطانہ",
)
NUMBER_POOL = 4000
MOBILE_PREFIXES = ("00", "01", "08", "12", "21", "33", "45")  # Jazz, Zong, Telenor, Ufone…


def _demo_mobile(draw: random.Random) -> str:
    roll = draw.random()
    if roll < 0.03:
        return f"042-3{draw.randrange(10**6, 10**7)}"  # a landline: cannot be sent an SMS
    if roll < 0.05:
        return ""  # the citizen has no mobile (recorded so: a mistyped number is refused)
    number = draw.randrange(NUMBER_POOL)
    return f"03{MOBILE_PREFIXES[number % len(MOBILE_PREFIXES)]}-{4_000_000 + number * 997:07d}"


def demo_source() -> SourceSystem:
    source, _ = SourceSystem.objects.get_or_create(
        code="demo", defaults={"name": "Demo data (simulated offices)", "all_offices": True}
    )
    return source


def add_demo_transactions(*, count: int, start: dt.datetime, end: dt.datetime) -> int:
    """`count` transactions at the demo offices, at random times in [start, end], through
    the same intake path as any source. Returns how many were stored."""
    offices = list(
        Office.objects.filter(code__in=[o[2] for o in DEMO_OFFICES]).select_related("department")
    )
    if not offices:
        return 0
    services = {
        office.pk: list(office.department.services.values_list("code", flat=True))
        for office in offices
    }
    officials = {
        office.pk: list(
            Official.objects.filter(office=office).values_list("employee_code", flat=True)
        )
        for office in offices
    }
    draw = random.Random()
    span = (end - start).total_seconds()
    items = []
    for position in range(count):
        office = draw.choice(offices)
        items.append(
            (
                position,
                TransactionInput(
                    reference=f"DEMO-{uuid.uuid4().hex[:12].upper()}",
                    occurred_at=start + dt.timedelta(seconds=draw.uniform(0, span)),
                    service=draw.choice(services[office.pk]),
                    office=office.code,
                    official=draw.choice(officials[office.pk] or [""]),
                    citizen_name=draw.choice(FIRST_NAMES),
                    mobile=(mobile := _demo_mobile(draw)),
                    no_mobile=not mobile,
                ),
            )
        )
    report = ingest_transactions(source=demo_source(), items=items)
    return report.created


def demo_kiosk_code() -> str | None:
    """A kiosk at the first demo office, waiting to be enrolled: its one-time code (a new
    one on every run until the kiosk page has used one); None once enrolled."""
    from cfmp.kiosk.models import Kiosk
    from cfmp.kiosk.services import new_enrolment_code, register_kiosk

    office = Office.objects.get(code=DEMO_OFFICES[0][2])
    kiosk = Kiosk.objects.filter(office=office).first()
    if kiosk is not None and kiosk.is_active:
        return None
    if kiosk is not None:
        return new_enrolment_code(kiosk=kiosk)
    secretariat = User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
    if secretariat is None:
        return None
    return register_kiosk(office=office, name="Demo kiosk, main gate", by=secretariat)[1]


def _password_file():
    return settings.VAR_DIR / "demo-password"


def keep_demo_password(password: str) -> None:
    """The demo (and only the demo) keeps its users' password in CFMP_VAR_DIR, readable by
    this machine's user alone, so `cfmp demo-users` can show it again."""
    if not settings.CFMP_DEMO:
        return
    path = _password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by this user alone from the first byte (a later chmod leaves a moment open).
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as kept:
        kept.write(password)
    path.chmod(0o600)  # a file left from before, with other rights


def demo_users_text() -> str:
    """The demo users, their roles and password, as `make run` ends and `cfmp demo-users`
    print them."""
    existing = set(
        User.objects.filter(username__in=[d.username for d in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    if not existing:
        return "no demo users yet: run `.venv/bin/cfmp load-demo`"
    width = max(len(d.username) for d in DEMO_USERS)
    lines = ["demo users, one per role:"]
    lines += [
        f"  {d.username.ljust(width)}  {d.role.label}" for d in DEMO_USERS if d.username in existing
    ]
    path = _password_file()
    if settings.CFMP_DEMO and path.exists():
        lines.append(f"password for all of them: {path.read_text().strip()}")
    else:
        lines.append(
            "their password was printed when they were created; set a new one with "
            "`.venv/bin/cfmp changepassword USERNAME`"
        )
    return "\n".join(lines)


# What the demo's citizens said, by category (Roman Urdu, Urdu and English, as real replies).
REPLIES = {
    "satisfied": ("1", "Theek tha, shukriya", "کام وقت پر ہو گیا، شکریہ", "All good, thank you"),
    "bribe": (
        "2",
        "Clerk ne 2000 rupay mange file aage karne ke",
        "رشوت کے بغیر کام نہیں ہوا، 1500 روپے دیے",
        "Had to pay 3000 to get it done",
    ),
    "delay": ("3", "Teen din chakkar lagwaye", "دو ہفتے سے انتظار کر رہا ہوں"),
    "misbehaviour": ("4", "Staff ka rawaiya bohat bura tha", "عملے نے بدتمیزی کی"),
    "not_availed": ("5", "Kaam hua hi nahi", "I never got the service"),
    "other_complaint": ("Line bohat lambi thi aur pankha band tha",),
}
# Each office's usual mix of replies; one office turns bad in the last weeks (its alerts).
USUAL = {
    "satisfied": 64,
    "bribe": 9,
    "delay": 12,
    "misbehaviour": 6,
    "not_availed": 4,
    "other_complaint": 5,
}
WORSE_OFFICE, WORSE_FROM_WEEK = "MUL-REV-DOM", 7  # of HISTORY_WEEKS, oldest 0
HISTORY_WEEKS, HISTORY_PER_DAY = 10, 24
AMOUNTS = (500, 1000, 2000, 5000)  # rupees a citizen said they paid
REPLY_AFTER = dt.timedelta(minutes=12)  # a survey to its reply
ANSWER_SHARE, UNSURE_SHARE = 0.55, 0.05


def add_demo_history(
    *, weeks: int = HISTORY_WEEKS, per_day: int = HISTORY_PER_DAY, progress=None
) -> dict[str, int]:
    """`weeks` of history before the last two days, so trends, rankings, alerts, cases and
    the review queue have content at first look: transactions through the intake path; for
    about half, an SMS survey delivered and the citizen's reply, classified (a few unsure:
    the review queue); complaints filed as cases on the day; then the rollups rebuilt and
    each past week's alerts detected. Replies are the simulator's (the demo's citizens)."""
    from cfmp.cases.services import file_complaints
    from cfmp.feedback.models import Feedback, InboundMessage
    from cfmp.outreach.models import ContactAttempt, Survey
    from cfmp.outreach.plans import default_plan
    from cfmp.reports.alerts import detect_alerts
    from cfmp.reports.rollups import rebuild_rollups

    say = progress or (lambda text: None)
    now = timezone.now()
    last = now - dt.timedelta(days=2)
    first = last - dt.timedelta(weeks=weeks)
    source = demo_source()
    if Transaction.objects.filter(source=source, occurred_at__lt=last).exists():
        return {}
    days = weeks * 7
    say(f"  {days * per_day} transactions of the last {weeks} weeks")
    added = add_demo_transactions(count=days * per_day, start=first, end=last)
    draw = random.Random(22)
    plan = default_plan()
    transactions = list(
        Transaction.objects.filter(source=source, occurred_at__lt=last, survey__isnull=True)
        .exclude(mobile="")
        .select_related("office")
        .order_by("occurred_at")
    )
    say(f"  surveys and replies for {len(transactions)} of them")
    surveys, attempts, messages, feedback = [], [], [], []
    for n, tx in enumerate(transactions):
        sent = tx.occurred_at + dt.timedelta(hours=draw.uniform(1, 20))
        answered = draw.random() < ANSWER_SHARE
        survey = Survey(
            transaction=tx,
            plan=plan,
            mobile=tx.mobile,
            created_at=sent,
            state=Survey.State.COMPLETED if answered else Survey.State.CLOSED,
            answered_at=sent + REPLY_AFTER if answered else None,
        )
        surveys.append(survey)
        attempts.append(
            ContactAttempt(
                survey=survey,
                channel="sms",
                state=ContactAttempt.State.DELIVERED,
                due_at=sent,
                queued_at=sent,
                submitted_at=sent,
                finished_at=sent,
                gateway_id=f"demo-history-{n}",
            )
        )
        if not answered:
            continue
        week = min(weeks - 1, (tx.occurred_at - first).days // 7)
        mix = dict(USUAL)
        if tx.office.code == WORSE_OFFICE and week >= WORSE_FROM_WEEK:
            mix.update(satisfied=15, bribe=75)
        category = draw.choices(list(mix), weights=list(mix.values()))[0]
        text = draw.choice(REPLIES[category])
        message = InboundMessage(
            gateway="simulator",
            gateway_message_id=f"demo-history-{n}",
            sender=tx.mobile,
            text=text,
            received_at=sent + REPLY_AFTER,
            kind=InboundMessage.Kind.REPLY,
            survey=survey,
        )
        messages.append(message)
        unsure = draw.random() < UNSURE_SHARE
        feedback.append(
            Feedback(
                channel="sms",
                simulated=True,
                message=message,
                survey=survey,
                transaction=tx,
                category=category,
                confidence=0.55 if unsure else 0.93,
                needs_review=unsure,
                bribe_amount=draw.choice(AMOUNTS) if category == "bribe" else None,
            )
        )
    # Each row's foreign keys are read from the rows created before it (Django takes a
    # saved object's pk at save time).
    with transaction.atomic():
        Survey.objects.bulk_create(surveys, batch_size=500)
        ContactAttempt.objects.bulk_create(attempts, batch_size=500)
        InboundMessage.objects.bulk_create(messages, batch_size=500)
        Feedback.objects.bulk_create(feedback, batch_size=500)
        for item, message in zip(feedback, messages, strict=True):
            item.created_at = message.received_at  # given when the reply came, not now
        Feedback.objects.bulk_update(feedback, ["created_at"], batch_size=500)
    say("  complaints filed as cases, day by day")
    by_day: dict[dt.date, list[int]] = {}
    for item in feedback:
        by_day.setdefault(timezone.localdate(item.created_at), []).append(item.pk)
    cases = 0
    for day in sorted(by_day):
        evening = timezone.make_aware(dt.datetime.combine(day, dt.time(20)))
        cases += file_complaints(feedback_ids=by_day[day], now=min(evening, now))
    say("  report rollups and each week's alerts")
    rebuild_rollups()
    alerts = 0
    today = timezone.localdate()
    for back in range(1, weeks + 1):
        alerts += len(detect_alerts(week_end=today - dt.timedelta(days=7 * back - 6)))
    return {
        "transactions": added,
        "surveyed": len(transactions),
        "replies": len(feedback),
        "complaints filed in cases": cases,
        "alerts": alerts,
        "to review": sum(1 for item in feedback if item.needs_review),
    }
