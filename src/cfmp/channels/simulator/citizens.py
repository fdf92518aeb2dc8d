"""The citizens the built-in simulator plays, for the demo and tests: how each reacts to a
contact, decided from the attempt id alone (the same attempt always gets the same reaction,
so a task delivered twice replays it, never invents another).

Shaped on CFMP's own figures: most people never answer; of those who do, most are satisfied,
and about one in six reports a problem. Replies are in Urdu, Roman Urdu and English, as
citizens write them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from cfmp.channels.base import own_setting

REPLIES: dict[str, tuple[str, ...]] = {
    "satisfied": (
        "1",
        "1 shukriya",
        "میں مطمئن ہوں، کام وقت پر ہو گیا",
        "shukriya kaam aasani se ho gaya",
        "Satisfied. Staff was helpful.",
        "بہت اچھا تجربہ رہا، شکریہ",
    ),
    "bribe": (
        "2 clerk ne 500 rupay mangay",
        "کلرک نے فائل آگے کرنے کے 2000 روپے لیے",
        "agent ke zariye kaam hua, 5k diye",
        "They asked for chai pani Rs.1000/- before giving the licence",
        "رشوت کے بغیر کوئی کام نہیں ہوتا، پانچ ہزار مانگے",
        "paisay diye baghair file nahi chali 20 hazar",
    ),
    "delay": (
        "2 teen chakkar lagaye abhi tak kaam nahi hua",
        "ابھی تک فرد نہیں ملی، بار بار بلاتے ہیں",
        "Waited 5 hours and was told to come next week",
        "bohat der lagi, 2 hafte se pending hai",
    ),
    "misbehaviour": (
        "2 staff ne bad tameezi ki",
        "عملے کا رویہ بہت خراب تھا، دھکے دے کر نکالا",
        "The official shouted at my mother and was very rude",
    ),
    "other_complaint": (
        "2",
        "not satisfied",
        "مطمئن نہیں ہوں",
        "2 computer kharab tha",
    ),
    "not_availed": (
        "main kabhi us daftar gaya hi nahi",
        "میں نے یہ کام نہیں کروایا، غلط نمبر ہے",
        "Wrong number, I never applied for any licence",
    ),
    "opt_out": ("STOP", "band karo", "پیغامات بند کریں"),
    "unclear": ("kon?", "Salam", "یہ کون سا نمبر ہے؟"),
}
REPLY_WEIGHTS = {
    "satisfied": 58,
    "bribe": 11,
    "delay": 9,
    "misbehaviour": 5,
    "other_complaint": 6,
    "not_availed": 3,
    "opt_out": 4,
    "unclear": 4,
}
SMS_DELIVERED, SMS_REPLIES = 0.94, 0.30  # most citizens never answer
CALL_ANSWERED = 0.55
CALL_BUSY = 0.2  # of calls not answered: the rest ring out
CALL_PRESSES = 0.75  # of answered calls: the rest hang up or wait without pressing
KEYPAD_WEIGHTS = {"1": 60, "2": 12, "3": 10, "4": 6, "9": 7, "7": 5}  # 7: a slip of the finger


@dataclass(frozen=True)
class Reaction:
    delivered: bool
    error: str  # why it was not delivered
    reply: str | None
    report_after: float  # seconds after the send
    reply_after: float
    digit: str | None = None  # pressed on a robocall
    call_outcome: str = ""  # how a robocall ended (CallOutcome)
    call_seconds: float | None = None  # how long it lasted once answered


def reaction_to(*, attempt_id: int, channel: str) -> Reaction:
    draw = random.Random(f"{own_setting('CFMP_SIMULATOR_SEED')}:{attempt_id}")
    report_after = draw.uniform(1, 4)
    reply_after = report_after + draw.uniform(3, 15)
    if channel == "voice":
        answered = draw.random() < CALL_ANSWERED
        digit = None
        if answered and draw.random() < CALL_PRESSES:
            digit = draw.choices(list(KEYPAD_WEIGHTS), weights=list(KEYPAD_WEIGHTS.values()))[0]
        if not answered:
            outcome = "busy" if draw.random() < CALL_BUSY else "no_answer"
        else:
            outcome = "answered" if digit else draw.choice(["no_input", "hung_up"])
        return Reaction(
            answered, "" if answered else outcome.replace("_", " "), None, report_after,
            report_after, digit, outcome, round(draw.uniform(9, 30), 1) if answered else None,
        )  # fmt: skip
    if draw.random() >= SMS_DELIVERED:
        return Reaction(False, "undeliverable", None, report_after, 0)
    if draw.random() >= SMS_REPLIES:
        return Reaction(True, "", None, report_after, 0)
    kind = draw.choices(list(REPLY_WEIGHTS), weights=list(REPLY_WEIGHTS.values()))[0]
    return Reaction(True, "", draw.choice(REPLIES[kind]), report_after, reply_after)
