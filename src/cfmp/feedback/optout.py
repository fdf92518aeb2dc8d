"""Recognising a request to stop messages. Deliberately narrow: the whole message must be a
stop phrase, or start with STOP/UNSUBSCRIBE; "kaam band tha" (the work was stopped) is a
complaint, not an opt-out. The classifier (its own module) weighs everything else."""

from __future__ import annotations

import re

STOP_PHRASES = frozenset(
    {
        "stop",
        "stop sms",
        "stop msg",
        "stop messages",
        "unsubscribe",
        "band",
        "band karo",
        "band karen",
        "band kren",
        "sms band",
        "sms band karo",
        "sms band karen",
        "msg band karo",
        "mat bhejo",
        "sms mat bhejo",
        "بند",
        "بند کرو",
        "بند کریں",
        "ایس ایم ایس بند کریں",
        "پیغام بند کریں",
        "پیغامات بند کریں",
        "میسج بند کریں",
        "مت بھیجو",
        "مت بھیجیں",
    }
)
FIRST_WORDS = frozenset({"stop", "unsubscribe", "stopall"})
_NOT_WORD = re.compile(r"[^\w\s]+")


def _normalise(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def is_opt_out_request(text: str) -> bool:
    normalised = _normalise(text)
    if not normalised:
        return False
    return normalised in STOP_PHRASES or normalised.split()[0] in FIRST_WORDS
