"""Words that settle the clearest bribe reports, and their negation.

A reply names a bribe when it has a bribe word (rishwat, رشوت, chai pani, an agent or
tout) or money beside a verb of asking, taking or giving ("500 rupay liye", "پیسے
مانگے", "asked for money") — unless a negation governs it ("koi paisa nahi diya", "no one
asked for money", "کسی نے پیسے نہیں مانگے"), or the money is the official fee with its
receipt. Works on normalised tokens (cfmp.feedback.normalise).
"""

from __future__ import annotations

from cfmp.feedback.normalise import tokens

BRIBE_WORDS = frozenset(
    {
        "rishwat", "رشوت", "bribe", "bribes", "bribery", "kharcha", "kharchi", "خرچہ",
        "خرچی", "mithai", "مٹھائی", "nazrana", "نذرانہ", "agent", "agents", "ایجنٹ",
        "dalal", "dallal", "دلال", "tout", "touts", "bhatta", "بھتہ", "corruption",
        "corrupt", "کرپشن", "ٹاؤٹ", "sifarish", "سفارش",
    }
)  # fmt: skip
BRIBE_PAIRS = frozenset(
    {("chai", "pani"), ("چائے", "پانی"), ("under", "table"), ("extra", "money"),
     ("extra", "paisa"), ("zyada", "paisa"), ("اضافی", "پیسے")}
)  # fmt: skip
MONEY = frozenset(
    {"paisa", "rupay", "روپے", "پیسے", "پیسہ", "money", "cash", "hazar", "ہزار",
     "lakh", "لاکھ", "amount", "rupee"}
)  # fmt: skip
TAKING = frozenset(
    {"mangay", "liye", "diye", "مانگے", "مانگی", "مانگا", "لیے", "لئے", "لیا", "دیے",
     "دئیے", "دیا", "asked", "demanded", "demand", "took", "taken", "paid", "pay", "gave",
     "given", "charged", "wanted", "le", "dene", "dena", "lena", "bhara", "diya"}
)  # fmt: skip
NEGATIONS = frozenset(
    {"nahi", "نہیں", "نہ", "na", "no", "not", "never", "didnt", "didn", "without", "bina",
     "بغیر", "baghair", "koi", "کوئی", "kisi", "کسی", "nobody", "none", "zero"}
)  # fmt: skip
OFFICIAL_FEE = frozenset(
    {"fee", "fees", "فیس", "challan", "chalan", "چالان", "raseed", "receipt", "رسید",
     "official", "sarkari", "سرکاری", "bank", "token"}
)  # fmt: skip
WINDOW = 4


def _near(words: list[str], position: int, vocabulary: frozenset[str], span: int) -> bool:
    low, high = max(0, position - span), position + span + 1
    return any(word in vocabulary for word in words[low:high])


def _is_money(words: list[str], position: int) -> bool:
    word = words[position]
    if word == "k":  # "5k"; alone, "k" is Roman Urdu's "ke"
        return position > 0 and words[position - 1].isdigit()
    return word in MONEY or word.isdigit()


def _negated(words: list[str], position: int) -> bool:
    """A negation just before the mention ("koi paisa", "no money"), or between it and
    its verb ("paisa nahi diya"), or just before that verb ("no one asked")."""
    if any(w in NEGATIONS for w in words[max(0, position - 2) : position]):
        return True
    for verb in range(max(0, position - WINDOW), min(len(words), position + WINDOW + 1)):
        if words[verb] in TAKING:
            low, high = sorted((position, verb))
            between = words[low + 1 : high]
            before_verb = words[max(0, verb - 2) : verb]
            return any(w in NEGATIONS for w in [*between, *before_verb])
    return False


def names_a_bribe(text: str) -> bool:
    return _names_a_bribe(tokens(text))


def _names_a_bribe(words: list[str]) -> bool:
    for position, word in enumerate(words):
        pair = (word, words[position + 1]) if position + 1 < len(words) else ("", "")
        cue = word in BRIBE_WORDS or pair in BRIBE_PAIRS
        money = _is_money(words, position) and _near(words, position, TAKING, WINDOW)
        if not (cue or money):
            continue
        if _negated(words, position):
            continue
        if money and not cue and _near(words, position, OFFICIAL_FEE, WINDOW):
            continue
        if money and not cue and word.isdigit() and not _near(words, position, MONEY, 2):
            continue  # "2 din liye" is time, not money
        return True
    return False


def bribe_signal(text: str) -> str | None:
    """ "named": the reply names a bribe in so many words; "denied": money or a bribe word
    is mentioned only under a negation; None: neither."""
    words = tokens(text)
    if _names_a_bribe(words):
        return "named"
    mentioned = any(w in BRIBE_WORDS or w in MONEY for w in words)
    return "denied" if mentioned and any(w in NEGATIONS for w in words) else None
