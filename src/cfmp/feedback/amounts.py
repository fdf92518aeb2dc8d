"""The bribe amount a citizen states, in rupees, in any of the forms they write it:
`500`, `Rs.5000/-`, `2,000`, `20 hazar`, `5k`, `1.5 lakh`, `do hazar`, `dhai hazar`,
`پانچ ہزار`, `۵۰۰ روپے`.

Numbers are read from the normalised tokens (cfmp.feedback.normalise). An amount is a
number with a money word beside it (rupay, روپے, paisa) or a multiplier after it (k,
hazar/ہزار, lakh/لاکھ, crore/کروڑ); the first such amount is the one stated. Without any,
a lone number of at least 50 that is not a count of days, visits or hours is taken (so the
reply code in "2 clerk ne 500 mangay" is not). Number words (do, teen, پانچ, ڈیڑھ …) count
as numbers only before a multiplier ("do hazar"), since "do" is also a verb.
"""

from __future__ import annotations

import re

from cfmp.core.bounds import MAX_AMOUNT
from cfmp.feedback.normalise import ascii_digits, tokens

MULTIPLIERS = {
    "k": 1_000,
    "hazar": 1_000,
    "ہزار": 1_000,
    "thousand": 1_000,
    "lakh": 100_000,
    "لاکھ": 100_000,
    "crore": 10_000_000,
    "karor": 10_000_000,
    "کروڑ": 10_000_000,
}
MONEY = {"rupay", "روپے", "روپیہ", "روپئے", "روپیے", "paisa", "پیسے", "rupee"}
NOT_MONEY = {
    "din", "dino", "days", "day", "دن", "hafte", "hafta", "weeks", "week", "ہفتے", "mahine",
    "months", "month", "مہینے", "ghante", "ghanta", "hours", "hour", "گھنٹے", "chakkar",
    "chakar", "چکر", "bar", "dafa", "martaba", "بار", "دفعہ", "minute", "minutes", "saal",
    "سال", "baje", "بجے",
}  # fmt: skip
WORDS = {
    "aik": 1, "ek": 1, "ایک": 1, "do": 2, "دو": 2, "teen": 3, "tin": 3, "تین": 3,
    "char": 4, "chaar": 4, "چار": 4, "panch": 5, "paanch": 5, "پانچ": 5, "chay": 6,
    "chhe": 6, "چھ": 6, "saat": 7, "سات": 7, "aath": 8, "آٹھ": 8, "nau": 9, "نو": 9,
    "das": 10, "dus": 10, "دس": 10, "bees": 20, "بیس": 20, "pachas": 50, "pachaas": 50,
    "پچاس": 50, "sau": 100, "سو": 100, "derh": 1.5, "dedh": 1.5, "ڈیڑھ": 1.5,
    "dhai": 2.5, "dhaai": 2.5, "اڑھائی": 2.5, "ڈھائی": 2.5, "adha": 0.5,
}  # fmt: skip
MINIMUM_BARE = 50
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)*$")
LONGEST = 20  # characters of a number token: longer is no sum of money (nor a float's)
# 12/03/2026, 12-3-26, 10:30 — never amounts.
_DATES_AND_TIMES = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b")


def _value(token: str) -> float | None:
    if len(token) > LONGEST or not _NUMBER.match(token):
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):  # 2,000 / 1,00,000 is also written
        return float(token.replace(",", ""))
    if re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}", token):  # 1,00,000 (lakh grouping)
        return float(token.replace(",", ""))
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def _rupees(value: float) -> int | None:
    """A sum within reason, else None: "999999999999 rupay" names no bribe CFMP can count
    (nor store), and is read as no amount rather than stopping the reply's classification."""
    return int(value) if 0 <= value <= MAX_AMOUNT else None


def bribe_amount(text: str) -> int | None:
    """The amount stated, in rupees; None when there is none, or none within reason
    (`MAX_AMOUNT`). Digits of every script count; other digit-like signs (², ①) do not."""
    text = _DATES_AND_TIMES.sub(" ", ascii_digits(text))
    words = [w for w in tokens(text) if w not in {".", "/", "-", "=", ":"}]
    bare: list[float] = []
    for position, word in enumerate(words):
        value = _value(word)
        after = words[position + 1] if position + 1 < len(words) else ""
        before = words[position - 1] if position else ""
        if value is None:
            if word in WORDS and after in MULTIPLIERS:
                return _rupees(WORDS[word] * MULTIPLIERS[after])
            continue
        if after in MULTIPLIERS:
            return _rupees(value * MULTIPLIERS[after])
        if after in MONEY or before in MONEY:
            return _rupees(value)
        if (
            after not in NOT_MONEY
            and MINIMUM_BARE <= value <= MAX_AMOUNT
            and not _looks_like_a_phone(word)
        ):
            bare.append(value)
    return _rupees(max(bare)) if bare else None


def _looks_like_a_phone(token: str) -> bool:
    return len(token.replace(",", "")) >= 10
