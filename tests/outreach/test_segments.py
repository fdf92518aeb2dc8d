"""How many SMS a text takes, in the encoding CFMP sends it in."""

import pytest

from cfmp.outreach import segments
from cfmp.outreach.models import DEFAULT_SMS_EN, DEFAULT_SMS_UR


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("", "gsm7", 0, 0),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("{" * 80, "gsm7", 160, 1),  # the extension table: two units each
        ("{" * 81, "gsm7", 162, 2),
        ("a" * 152 + "[" + "a" * 152, "gsm7", 306, 3),  # a two-unit character is not split
        ("ا" * 70, "ucs2", 70, 1),
        ("ا" * 71, "ucs2", 71, 2),
        ("ا" * 134, "ucs2", 134, 2),
        ("ا" * 135, "ucs2", 135, 3),
        ("a" * 69 + "😀", "ucs2", 71, 2),  # an emoji is two UTF-16 units
        ("café", "ucs2", 4, 1),  # accented letters go as UCS-2 (see the module)
        ("price `5`", "ucs2", 9, 1),  # a backtick is not in GSM's alphabet
    ],
)
def test_encoding_units_and_parts(text, encoding, units, parts):
    counted = segments.count(text)
    assert (counted.encoding, counted.units, counted.parts) == (encoding, units, parts)


def test_the_default_surveys_take_several_parts():
    assert segments.count(DEFAULT_SMS_UR).encoding == "ucs2"
    assert segments.count(DEFAULT_SMS_UR).parts == 3
    assert segments.count(DEFAULT_SMS_EN).encoding == "gsm7"
