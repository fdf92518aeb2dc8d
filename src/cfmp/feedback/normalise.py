"""Citizens' replies brought to one spelling before anything reads them.

Citizens write Urdu script, Roman Urdu and English, often in one message. This module:
- maps Arabic letter forms to the Urdu ones (ي→ی, ك→ک, ة→ہ, ە→ہ …), drops diacritics and
  tatweel, and turns the decimal digits of every script (Urdu-Indic, Arabic-Indic,
  Devanagari, full-width …) into ASCII; other digit-like signs (superscript ², circled ①)
  are not digits and stay as they are — no reader takes them for a number;
- lower-cases Latin text and separates digits glued to words ("500rs" → "500 rs");
- brings Roman Urdu's many spellings of the words that matter to one form (paise, pesay,
  paisay, pese → paisa; rishvat, rishwt → rishwat; nahin, nai, nhi → nahi …).

`normalise(text)` returns the text as space-separated tokens; `tokens(text)` the list.
The lexicon, the rules and the statistical model all read this form.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ہ",
        "ە": "ہ",
        "ھ": "ھ",
        "ۀ": "ہ",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ۓ": "ے",
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Urdu-Indic digits
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
        "٫": ".",
        "٬": ",",
        "،": " ، ",
        "۔": " ۔ ",
        "؟": " ؟ ",
        "ـ": "",  # tatweel
    }
)
# A decimal digit of any script but ASCII's (Python's \d is Unicode's Nd class).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# Arabic keyboards have one heh (ه) for Urdu's two: after a consonant that Urdu aspirates
# and before another letter it is most often do-chashmi (ھ: "تها" → "تھا", "ٹهیک" →
# "ٹھیک"), elsewhere the round heh (ہ: "نهیں" → "نہیں", "شکریه" → "شکریہ"); "بهت" and
# "پهلے", the commonest exceptions, are put right in _URDU.
_ASPIRATED_HEH = re.compile(r"(?<=[بپتٹجچدڈکگ])\u0647(?=\w)")
_ARABIC_HEH = re.compile(r"\u0647")
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED\u200c\u200d\u200e\u200f]")
# Digits glued to letters on either side: "500rs" → "500 rs", "5k" → "5 k".
_GLUED = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]", re.UNICODE)

# Roman Urdu spellings → one form. Each pattern matches a whole token.
_ROMAN = [
    (r"p[aeiy]{1,3}s[aeiy]{0,3}|paisy|pesy|pese|pysa|paiso|peso", "paisa"),
    (r"r[iue]sh?[wv]a?[ae]?t|reshwat|rishwath|rshwt", "rishwat"),
    (r"n[ae]?h?[ie]e?n?|nhi|nai|nae|nahee|nahein|nahin|nahen", "nahi"),
    (r"rup[ae]{1,2}[ye]?[ae]?|rupi[ae]?|rs|pkr|rps|rupees?|roop[ae]y|ruppe", "rupay"),
    (r"h[ae]z[ae]a?r|hazaar|hajar|hzr|hazar", "hazar"),
    (r"la?kh|lac|lacs|lakhs", "lakh"),
    (r"m[ae]ng[ae]?[ye]?|mang[ae]?[iy]?|maange|mangey|mangay|mangy", "mangay"),
    (r"d[ie]y[ae]?|diye|diay|diey|dia", "diye"),
    (r"l[ie]y[ae]?|liye|liay|lia", "liye"),
    (r"ch[ae]{1,2}[iy]e?|chay|chae|chai", "chai"),
    (r"p[ae]{1,2}n[iy]", "pani"),
    (r"shukr[iy]{1,2}a|shukria|shukriya|shukriah|thanks?|thankyou|thx", "shukriya"),
    # The words of a verdict, spelt as many ways as the rest (issue 17: "mutmaeen nahi
    # hoon" was read as praise because "mutmaeen" was not "mutmain").
    (r"mu?t[ae]?m[ae]{1,2}[iy]?e{0,2}[ie]?n|mutmayin|mtmn|mutmyn|mutmaen", "mutmain"),
    (r"th?(?:ee|ii|i|e|ea|ei|ie)k|thk", "theek"),
    (r"a{1,2}c{1,2}h{0,2}a{1,3}", "acha"),
    (r"sat[ie]s?f[iy]e?[ae]?d|satisfy|satisfyd|satisfaid|stsfd|satisfide", "satisfied"),
    (r"bht|bhot|bohot|bahut|bhut|buhat|bohut|boht|bohat|bhout|bouht|bahot|bhaut", "bohat"),
    (r"masl[ae]{1,2}h?|maslah|mesla", "masla"),
    (r"sh[ie]?k[ae]{1,2}y?[ae]?t|shikait|shkayat", "shikayat"),
    (r"h[ou]{1,2}n|hn|hoo|hu", "hun"),
]
_ROMAN_PATTERNS = [(re.compile(rf"^(?:{p})$"), canonical) for p, canonical in _ROMAN]
# Short words a loose pattern would swallow ("paas" is "near", not "paisa").
_KEEP_AS_IS = frozenset(
    {"na", "ne", "ni", "nay", "pe", "se", "sy", "ye", "yeh", "de", "le", "pay", "pas", "paas",
     "pass", "die", "lie", "lay", "day", "dey", "pani"}
)  # fmt: skip


# Urdu-script spellings of the words of a verdict, after the letters are mapped (ئ is ی).
_URDU = {
    "مطمن": "مطمین",
    "مطمیین": "مطمین",
    "مطئن": "مطمین",
    "مطمعن": "مطمین",
    "بھت": "بہت",
    "پھلے": "پہلے",
}


@functools.lru_cache(maxsize=100_000)  # citizens' vocabulary is small: each word once
def _roman(token: str) -> str:
    if token in _URDU:
        return _URDU[token]
    if not token.isascii() or not token.isalpha() or token in _KEEP_AS_IS or len(token) < 2:
        return token
    squeezed = re.sub(r"(.)\1{2,}", r"\1\1", token)  # "paisaaaa" → "paisaa"
    for pattern, canonical in _ROMAN_PATTERNS:
        if pattern.match(squeezed):
            return canonical
    return squeezed


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group()))


def ascii_digits(text: str) -> str:
    """Every script's decimal digits as ASCII ones."""
    return _OTHER_DIGIT.sub(_ascii_digit, text)


def is_number(token: str) -> bool:
    """A token of ASCII digits (tokens have every script's digits in ASCII already)."""
    return token.isascii() and token.isdigit()


def tokens(text: str) -> list[str]:
    text = ascii_digits(unicodedata.normalize("NFC", text).translate(_LETTERS))
    if "\u0647" in text:
        text = _ARABIC_HEH.sub("ہ", _ASPIRATED_HEH.sub("ھ", text))
    text = _MARKS.sub("", text).casefold()
    text = _GLUED.sub(" ", text)
    return [_roman(token) for token in _TOKEN.findall(text)]


def normalise(text: str) -> str:
    return " ".join(tokens(text))
