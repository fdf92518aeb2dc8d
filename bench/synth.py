"""Synthetic but realistically skewed CFMP data for benchmarks: a registry of thousands of
offices and officials over Punjab's 36 districts and 19 services, and transaction files that
mix the phone formats, data-entry mistakes and Urdu names that offices really produce.

Deterministic for a given seed, and streamed, so millions of rows cost no memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FIRST_NAMES = [
    "Muhammad",
    "Ahmed",
    "Ali",
    "Bilal",
    "Imran",
    "Asif",
    "Tariq",
    "Zahid",
    "Naveed",
    "Ayesha",
    "Fatima",
    "Sana",
    "Saima",
    "Nadia",
    "Rabia",
    "Zahida",
    "Maryam",
    "محمد",
    "احمد",
    "علی",
    "فاطمہ",
    "عائشہ",
    "ثناء",
    "زاہدہ",
]
LAST_NAMES = [
    "Khan",
    "Ahmed",
    "Iqbal",
    "Hussain",
    "Malik",
    "Raza",
    "Qureshi",
    "Butt",
    "Chaudhry",
    "Javed",
    "Akhtar",
    "Bibi",
    "خان",
    "اقبال",
    "حسین",
    "ملک",
    "بی بی",
]
MOBILE_PREFIXES = [
    "300",
    "301",
    "302",
    "303",
    "304",
    "305",
    "306",
    "307",
    "308",
    "309",
    "310",
    "311",
    "312",
    "313",
    "314",
    "315",
    "320",
    "321",
    "322",
    "323",
    "330",
    "331",
    "332",
    "333",
    "334",
    "335",
    "336",
    "340",
    "341",
    "342",
    "343",
    "344",
    "345",
    "346",
    "347",
    "355",
]
URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass(frozen=True)
class Office:
    code: str
    department: str
    district: str
    services: tuple[str, ...]
    officials: tuple[str, ...]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def make_registry(
    catalogue: dict[str, list[str]],
    districts: list[str],
    *,
    offices: int = 3000,
    officials_per_office: int = 5,
    seed: int = 7,
) -> list[Office]:
    """Offices spread over districts with a big-city skew (Lahore, Faisalabad, ... get more)."""
    rng = random.Random(seed)
    district_weights = zipf_weights(len(districts), 0.8)
    departments = sorted(catalogue)
    result = []
    for n in range(offices):
        district = rng.choices(districts, district_weights)[0]
        department = departments[n % len(departments)]
        code = f"{district[:3].upper()}-{department[:3].upper()}-{n:05d}"
        officials = tuple(f"{code}-E{k}" for k in range(officials_per_office))
        result.append(Office(code, department, district, tuple(catalogue[department]), officials))
    return result


def _mobile(rng: random.Random) -> str:
    subscriber = f"{rng.randrange(10_000_000):07d}"
    prefix = rng.choice(MOBILE_PREFIXES)
    roll = rng.random()
    if roll < 0.35:
        return f"0{prefix}-{subscriber}"
    if roll < 0.60:
        return f"0{prefix}{subscriber}"
    if roll < 0.70:
        return f"+92 {prefix} {subscriber}"
    if roll < 0.78:
        return f"92{prefix}{subscriber}"
    if roll < 0.83:
        return f"0092 {prefix} {subscriber}"
    if roll < 0.88:
        return f"{prefix}{subscriber}"
    if roll < 0.91:
        return f"0{prefix}.{subscriber[:3]}.{subscriber[3:]}"
    if roll < 0.93:
        return f"0{prefix}-{subscriber}".translate(URDU_DIGITS)
    if roll < 0.96:
        return f"042-3{rng.randrange(10_000_000):07d}"  # landline
    if roll < 0.98:
        return f"0{prefix}{subscriber[:4]}"  # too short
    return "03001234567" if roll < 0.99 else ""  # made-up, or missing


def transactions(
    offices: list[Office],
    count: int,
    *,
    seed: int = 11,
    start: dt.datetime | None = None,
    prefix: str = "T",
) -> Iterator[list[str]]:
    """Rows of reference, occurred_at, service, office, official, citizen_name, mobile, cnic.
    Busy offices get far more traffic than quiet ones (Zipf)."""
    rng = random.Random(seed)
    weights = zipf_weights(len(offices))
    start = start or dt.datetime(2026, 1, 1, 9, 0)
    picks = iter(())  # offices drawn in blocks: random.choices is cheap per block
    for n in range(count):
        try:
            office = next(picks)
        except StopIteration:
            picks = iter(rng.choices(offices, weights, k=10_000))
            office = next(picks)
        moment = start + dt.timedelta(seconds=rng.randrange(90 * 24 * 3600))
        occurred = (
            moment.strftime("%d/%m/%Y %H:%M") if n % 4 == 0 else moment.isoformat() + "+05:00"
        )
        official = rng.choice(office.officials) if rng.random() < 0.97 else f"NEW-{n % 997}"
        cnic = f"{rng.randrange(10**12, 10**13)}" if rng.random() < 0.3 else ""
        yield [
            f"{prefix}-{n:09d}",
            occurred,
            rng.choice(office.services),
            office.code,
            official,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            _mobile(rng),
            cnic,
        ]


HEADER = [
    "reference",
    "occurred_at",
    "service",
    "office",
    "official",
    "citizen_name",
    "mobile",
    "cnic",
]


def write_csv(path: Path, rows: Iterator[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
