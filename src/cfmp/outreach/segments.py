"""How a text travels as SMS: its encoding and how many parts (segments) it takes.

An SMS carries 140 bytes. In GSM 03.38's 7-bit alphabet that is 160 characters (153 in each
part of a longer, concatenated message: the part's header takes the rest); anything outside
that alphabet — Urdu, for one — goes as UCS-2, 70 UTF-16 units (67 per part). Characters of
GSM's extension table (`{ } [ ] ~ ^ | \\ €`) take two 7-bit units.

CFMP sends GSM 7-bit only for text whose every character is printable ASCII in GSM's
alphabet (or a line break), so the text reaches the phone unchanged whatever character
conversions the gateway and the operator apply; everything else goes as UCS-2. The count
here is the count for the encoding CFMP actually asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7, UCS2 = "gsm7", "ucs2"

# GSM 03.38's default alphabet, restricted to ASCII (the accented letters and Greek capitals
# it also holds are sent as UCS-2, see above), and its extension table (two units each).
_GSM_BASIC = frozenset(
    "@$\n\r !\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
_GSM_EXTENDED = frozenset("^{}\\[]~|")

SINGLE = {GSM7: 160, UCS2: 70}  # units in a message of one part
PER_PART = {GSM7: 153, UCS2: 67}  # units in each part of a concatenated message
MAX_PARTS = 255  # a concatenated message's header counts parts in one byte


@dataclass(frozen=True)
class Segments:
    """A text's encoding, its length in that encoding's units, and its parts."""

    encoding: str
    units: int
    parts: int


def encoding_of(text: str) -> str:
    return GSM7 if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text) else UCS2


def _units(text: str, encoding: str) -> list[int]:
    """Each character's size in the encoding's units (UTF-16 units for UCS-2: an emoji is
    two, and a part never ends between them)."""
    if encoding == GSM7:
        return [2 if c in _GSM_EXTENDED else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def count(text: str) -> Segments:
    encoding = encoding_of(text)
    sizes = _units(text, encoding)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return Segments(encoding, units, 1 if units else 0)
    return Segments(encoding, units, _parts(sizes, PER_PART[encoding]))


def _parts(sizes: list[int], room: int) -> int:
    """Parts needed when no character is split across two (greedy, as gateways split)."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > room:
            parts, used = parts + 1, 0
        used += size
    return parts
