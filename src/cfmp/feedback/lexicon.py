"""Words that settle the clearest bribe reports, and their negation.

A reply names a bribe when it has a bribe word (rishwat, رشوت, chai pani, an agent or
tout) or money beside a verb of asking, taking or giving ("500 rupay liye", "پیسے
مانگے", "asked for money") — unless a negation governs it ("koi paisa nahi diya", "no one
asked for money", "کسی نے پیسے نہیں مانگے"), or the money is the official fee with its
receipt. The word lists are normalised like the replies they are matched against
(cfmp.feedback.normalise), so "مٹھائی" in a list finds "مٹھائی" in any spelling.
"""

from __future__ import annotations

from cfmp.feedback.normalise import is_number, tokens


def _normalised(words: set[str]) -> frozenset[str]:
    return frozenset(token for word in words for token in tokens(word))


BRIBE_WORDS = _normalised(
    {
        "rishwat", "رشوت", "bribe", "bribes", "bribery", "kharcha", "kharchi", "kharche",
        "خرچہ", "خرچی", "خرچے", "mithai", "مٹھائی", "nazrana", "نذرانہ", "agent", "agents", "ایجنٹ",
        "dalal", "dallal", "دلال", "tout", "touts", "bhatta", "بھتہ", "corruption",
        "corrupt", "کرپشن", "ٹاؤٹ", "sifarish", "سفارش", "سفارشی", "reference", "setting",
    }
)  # fmt: skip
BRIBE_PAIRS = frozenset(
    (tokens(first)[0], tokens(second)[0])
    for first, second in (
        ("chai", "pani"), ("چائے", "پانی"), ("under", "table"), ("extra", "money"),
        ("extra", "paisa"), ("zyada", "paisa"), ("اضافی", "پیسے"), ("روپے", "اضافی"),
        ("rupay", "extra"), ("jeb", "garam"), ("جیب", "گرم"),
    )
)  # fmt: skip
MONEY = _normalised(
    {"paisa", "rupay", "روپے", "پیسے", "پیسہ", "money", "cash", "hazar", "ہزار",
     "lakh", "لاکھ", "amount", "rupee", "thousand"}
)  # fmt: skip
TAKING = _normalised(
    {"mangay", "liye", "diye", "مانگے", "مانگی", "مانگا", "لیے", "لئے", "لیا", "دیے",
     "دئیے", "دیا", "asked", "demanded", "demand", "took", "taken", "paid", "pay", "gave",
     "given", "charged", "wanted", "le", "dene", "dena", "lena", "bhara", "diya", "lagay",
     "lage", "لگے", "mangi", "manga", "mange", "mangte", "mangta", "do", "دو", "dein", "دیں",
     "دینا", "دینے", "para", "پڑا", "ask", "asking"}
)  # fmt: skip
NEGATIONS = _normalised(
    {"nahi", "نہیں", "نہ", "na", "no", "not", "never", "didnt", "didn", "without", "bina",
     "بغیر", "baghair", "koi", "کوئی", "kisi", "کسی", "nobody", "none", "zero"}
)  # fmt: skip
# "Without a bribe nothing moves" names a bribe: these negations after a bribe word do
# not deny it, unlike "rishwat ka koi chakkar nahi tha".
WITHOUT = _normalised({"without", "bina", "بغیر", "baghair", "بنا"})
OFFICIAL_FEE = _normalised(
    {"fee", "fees", "فیس", "challan", "chalan", "چالان", "raseed", "receipt", "رسید",
     "official", "sarkari", "سرکاری", "bank", "token"}
)  # fmt: skip
WINDOW = 4
LARGE_SUM = 100  # a bare number this large beside "liye" is money, not days


def _near(words: list[str], position: int, vocabulary: frozenset[str], span: int) -> bool:
    low, high = max(0, position - span), position + span + 1
    return any(word in vocabulary for word in words[low:high])


def _is_money(words: list[str], position: int) -> bool:
    word = words[position]
    if word == "k":  # "5k"; alone, "k" is Roman Urdu's "ke"
        return position > 0 and is_number(words[position - 1])
    return word in MONEY or is_number(word)


def _negated(words: list[str], position: int, *, cue: bool = False) -> bool:
    """A negation just before the mention ("koi paisa", "no money"), or between it and
    its verb ("paisa nahi diya"), or just before that verb ("no one asked"); for a bribe
    word, also one just after it ("rishwat ka naam bhi nahi suna", "agent ki zaroorat
    nahi pari")."""
    before = words[max(0, position - 2) : position]
    if any(w in NEGATIONS for w in before):
        # ... but "bina rishwat kuch nahi hota": nothing moves without one.
        after = words[position + 1 : position + 6]
        return not (any(w in WITHOUT for w in before) and any(w in NEGATIONS for w in after))
    if cue:
        # "rishwat ka koi chakkar nahi" denies it; "bribe mangi, maine nahi di" (asked, and
        # refused) and "bina rishwat kuch nahi hota" do not.
        after = words[position + 1 : position + 5]
        clause = after[: next((n for n, w in enumerate(after) if w in TAKING), len(after))]
        if any(w in NEGATIONS for w in clause) and not any(w in WITHOUT for w in after):
            return True
    for verb in range(max(0, position - WINDOW), min(len(words), position + WINDOW + 1)):
        if words[verb] in TAKING:
            low, high = sorted((position, verb))
            between = words[low + 1 : high]
            before_verb = words[max(0, verb - 2) : verb]
            return any(w in NEGATIONS for w in [*between, *before_verb])
    return False


def _official_fee(words: list[str], position: int) -> bool:
    """Money beside the official fee or its receipt, unless the receipt is what was
    missing ("بغیر رسید", "raseed koi nahi", "without receipt")."""
    low, high = max(0, position - WINDOW), position + WINDOW + 1
    for at in range(low, min(len(words), high)):
        if words[at] in OFFICIAL_FEE:
            around = words[max(0, at - 2) : at] + words[at + 1 : at + 3]
            if not any(w in NEGATIONS for w in around):
                return True
    return False


def _mentions(words: list[str]) -> list[tuple[bool, bool]]:
    """(named, negated) for every bribe word, and every sum of money beside a verb of
    asking, taking or giving, that is not the official fee."""
    found = []
    for position, word in enumerate(words):
        pair = (word, words[position + 1]) if position + 1 < len(words) else ("", "")
        cue = word in BRIBE_WORDS or pair in BRIBE_PAIRS
        money = _is_money(words, position) and _near(words, position, TAKING, WINDOW)
        if not (cue or money):
            continue
        if money and not cue:
            if _official_fee(words, position):
                continue
            small = is_number(word) and len(word) < 4 and int(word) < LARGE_SUM
            if small and not _near(words, position, MONEY, 2):
                continue  # "2 din liye" is time, not money
        negated = _negated(words, position, cue=cue and not money)
        found.append((not negated, negated))
    return found


def names_a_bribe(text: str) -> bool:
    return any(named for named, _ in _mentions(tokens(text)))


def bribe_signal(text: str, *, words: list[str] | None = None) -> str | None:
    """ "named": the reply names a bribe in so many words; "denied": every mention of money
    or a bribe is negated ("koi paisa nahi diya"); None: neither. `words`: the text's
    tokens, when the caller has them already."""
    words = tokens(text) if words is None else words
    mentions = _mentions(words)
    if any(named for named, _ in mentions):
        return "named"
    if mentions:
        return "denied"
    money_then_no = any(w in BRIBE_WORDS or w in MONEY for w in words) and any(
        w in NEGATIONS and w not in WITHOUT for w in words
    )
    return "denied" if money_then_no and not any(w in WITHOUT for w in words) else None
