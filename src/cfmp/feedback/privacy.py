"""What an official may read of a citizen's reply: the words, not who wrote them.

Numbers long enough to be a phone number or a CNIC (7+ digits, in any script, with the
usual separators) are masked, and so is every word of the citizen's name as the
transaction records it. The reply's sender is never shown to them."""

from __future__ import annotations

import re

_DIGITS = str.maketrans({chr(base + n): str(n) for base in (0x06F0, 0x0660) for n in range(10)})
# 7 or more digits, allowing spaces, dashes and dots between them (0300-1234567, 35202-…).
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s.\-]?\d){6,}")
NUMBER_MASK = "•••"
NAME_MASK = "[…]"


def mask_reply(text: str, *, citizen_name: str = "") -> str:
    masked = _LONG_NUMBER.sub(NUMBER_MASK, text.translate(_DIGITS))
    for word in {w for w in re.split(r"\s+", citizen_name) if len(w) >= 3}:
        masked = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_MASK, masked, flags=re.I)
    return masked


def masked_words(feedback) -> str:
    """What the citizen said (their SMS, or their words to an agent), as an official may read
    it: numbers and the citizen's name masked."""
    text = feedback.message.text if feedback.message else feedback.note
    name = feedback.transaction.citizen_name if feedback.transaction else ""
    return mask_reply(text or "", citizen_name=name)
