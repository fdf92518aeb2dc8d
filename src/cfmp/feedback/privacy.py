"""What an official may read of a citizen's words: what happened, not who said it.

Masked, for everyone below the identity roles:
- numbers long enough to be a phone number or a CNIC (7 or more digits, in any script,
  grouped any way: `0300-1234567`, `032198 / 76543`, `35202 1234567 1`, `(0321) 98-76-543`),
  except amounts (a number with rupees named beside it stays: what was asked is evidence);
- the citizen's name as the transaction records it, and the names of the office's officials,
  in either script: a name stored in Latin letters is found written in Urdu and the other way
  round, by comparing the words' consonants (`Kiran` ~ `کرن`, `Zahida` ~ `زاہدہ`);
- a name a citizen states, about themselves or someone else ("my name is …", "mera naam …
  hai", "میرا نام … ہے", "us ka naam …"), even when it matches nothing stored.

The reply's sender is never shown to them at all."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

NUMBER_MASK = "•••"
NAME_MASK = "[…]"

# A digit, then at least six more, with up to three separators between any two.
_LONG_NUMBER = re.compile(r"[+(]?\d(?:[\s./\\\-()\[\]_,:]{0,3}\d){6,}")
# Rupees named just before or after a number: it is an amount, kept.
_RUPEES_BEFORE = re.compile(r"(?:rs\.?|pkr|rupees?|روپے|روپیہ)\s*$", re.IGNORECASE)
_RUPEES_AFTER = re.compile(
    r"^\s*(?:/-|rs\b|pkr|rupees?|rupay|rupaye|rupe|روپے|روپیہ|روپئے|lakh|لاکھ|hazar|ہزار)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _ascii_digits(text: str) -> str:
    """Every digit of every script (Urdu's ۰–۹ included) as 0–9."""
    return "".join(
        str(unicodedata.digit(c)) if not c.isascii() and unicodedata.digit(c, None) is not None
        else c
        for c in text
    )  # fmt: skip


def _mask_numbers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end() :]
        if _RUPEES_BEFORE.search(before) or _RUPEES_AFTER.match(after):
            return match.group(0)
        return NUMBER_MASK

    return _LONG_NUMBER.sub(replace, text)


# Consonant skeletons: what a name keeps whatever its script or spelling. Vowels, and the
# letters that stand for vowels or aspiration in either script, are dropped.
_LATIN_PAIRS = {"ch": "c", "sh": "S", "kh": "x", "gh": "G", "th": "t", "dh": "d", "ph": "f",
                "bh": "b", "zh": "z"}  # fmt: skip
_LATIN = {"q": "k", "c": "k", "v": "", "w": "", "y": "", "h": "", "x": "ks",
          **dict.fromkeys("aeiou", "")}  # fmt: skip
_URDU = {
    **dict.fromkeys("بٻ", "b"), "پ": "p", **dict.fromkeys("تطٹ", "t"),
    **dict.fromkeys("ثسص", "s"), "ج": "j", "چ": "c", "خ": "x", **dict.fromkeys("دڈ", "d"),
    **dict.fromkeys("ذزضظژ", "z"), **dict.fromkeys("رڑ", "r"), "ش": "S", "غ": "G",
    "ف": "f", **dict.fromkeys("قکك", "k"), "گ": "g", "ل": "l", "م": "m",
    **dict.fromkeys("نں", "n"),
}  # fmt: skip


def skeleton(word: str) -> str:
    """`Kiran`, `Kiraan` and `کرن` are all "krn"."""
    word = unicodedata.normalize("NFKC", word).casefold()
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LATIN_PAIRS:
            out.append(_LATIN_PAIRS[pair])
            i += 2
            continue
        c = word[i]
        if "a" <= c <= "z":
            out.append(_LATIN.get(c, c))
        else:
            out.append(_URDU.get(c, ""))  # other letters: vowels, aspiration, marks
        i += 1
    letters = "".join(out)
    return re.sub(r"(.)\1+", r"\1", letters)  # doubled letters: Aasif ~ Asif


def _names_pattern(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """The words of the names (3+ letters) and their skeletons (2+ consonants)."""
    words = {w.casefold() for name in names for w in _WORD.findall(name) if len(w) >= 3}
    skeletons = {s for s in map(skeleton, words) if len(s) >= 2}
    return words, skeletons


def _mask_names(text: str, names: Iterable[str]) -> str:
    words, skeletons = _names_pattern(names)
    if not words:
        return text

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.casefold() in words or (len(word) >= 3 and skeleton(word) in skeletons):
            return NAME_MASK
        return word

    return _WORD.sub(replace, text)


# "my name is …", in English, Roman Urdu and Urdu, about oneself or another person.
_STATED_NAME = re.compile(
    r"(?:\b(?:my|his|her|their)\s+name\s*(?:is|was|'s)?"
    r"|\b(?:mera|meri|mere|us\s*ka|us\s*ki|un\s*ka|is\s*ka)\s+(?:naam|nam|name)"
    r"|\bname\s*:"
    r"|(?:میرا|میری|اس\s*کا|ان\s*کا|اس\s*کی)\s+نام)"
    r"\s*(?:is|hai|he|ہے)?\s*[:\-]?\s*",
    re.IGNORECASE,
)
_NAME_ENDS = {"hai", "he", "hay", "tha", "thi", "and", "aur", "or", "is", "ہے", "تھا", "تھی",
              "اور", "ہیں", "hain", "se", "ne", "ko", "سے", "نے", "کو"}  # fmt: skip
_STATED_WORDS = 3


def _mask_stated_names(text: str) -> str:
    out, cursor = [], 0
    for match in _STATED_NAME.finditer(text):
        if match.start() < cursor:
            continue
        out.append(text[cursor : match.end()])
        cursor = match.end()
        for taken, word in enumerate(re.finditer(r"\S+", text[match.end() :])):
            token = word.group(0)
            bare = token.strip(".,!?،۔؛:\"'()")
            if not bare or bare.casefold() in _NAME_ENDS or taken == _STATED_WORDS:
                break
            start, end = match.end() + word.start(), match.end() + word.end()
            trailing = token[len(token.rstrip(".,!?،۔؛:\"'()")) :]
            out.append(text[cursor:start] + NAME_MASK + trailing)
            cursor = end
            if trailing:  # punctuation ends the name
                break
    out.append(text[cursor:])
    return "".join(out)


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """Free text as a reader below the identity roles may see it (see the module)."""
    masked = _mask_numbers(_ascii_digits(text))
    masked = _mask_stated_names(masked)
    return _mask_names(masked, names)


def mask_reply(text: str, *, citizen_name: str = "", other_names: Iterable[str] = ()) -> str:
    return mask_text(text, names=[citizen_name, *other_names])


def official_names_by_office(office_ids: Iterable[int | None]) -> dict[int, list[str]]:
    """The names of the offices' officials, in one query (a page masks many replies)."""
    from cfmp.registry.models import Official

    names: dict[int, list[str]] = {}
    wanted = {office_id for office_id in office_ids if office_id is not None}
    rows = Official.objects.filter(office_id__in=wanted).values_list("office_id", "name")
    for office_id, name in rows:
        names.setdefault(office_id, []).append(name)
    return names


def _office_of(feedback: Any) -> int | None:
    return feedback.transaction.office_id if feedback.transaction else feedback.office_id


def masked_words(feedback: Any, *, official_names: Iterable[str] | None = None) -> str:
    """What the citizen said (their SMS, or their words to an agent), as an official may read
    it: numbers and names masked. `official_names`: the office's, read once by a page that
    masks many (`masked_texts`)."""
    text = feedback.message.text if feedback.message else feedback.note
    name = feedback.transaction.citizen_name if feedback.transaction else ""
    if official_names is None:
        office = _office_of(feedback)
        official_names = official_names_by_office([office]).get(office or 0, [])
    return mask_reply(text or "", citizen_name=name, other_names=official_names)


def masked_texts(feedbacks: list[Any]) -> list[str]:
    """`masked_words` for many, reading the offices' officials once."""
    names = official_names_by_office(_office_of(f) for f in feedbacks)
    return [masked_words(f, official_names=names.get(_office_of(f) or 0, [])) for f in feedbacks]
