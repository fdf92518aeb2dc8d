"""cfmp.core.bounds and the reply parsers against arbitrary input (issue 18): every value
is either taken within bounds or refused with OutOfBounds naming its field; no parser
raises on any Unicode text, digits of every script included."""

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cfmp.core import bounds
from cfmp.core.bounds import OutOfBounds
from cfmp.feedback.amounts import bribe_amount
from cfmp.feedback.lexicon import bribe_signal
from cfmp.feedback.normalise import tokens

# Text a hostile or careless sender may produce: any code point, lone surrogates included,
# with digits of every script (Nd), superscripts and circled digits (No) mixed in.
DIGITISH = st.sampled_from("0٥۵५৫๕５²³¹⁰①⑩⓵❶𝟓𝟱")
TEXT = st.text(
    alphabet=st.one_of(st.characters(), DIGITISH, st.sampled_from(" rupay hazar lakh liye")),
    max_size=60,
)


def outcome(function, *args, **kwargs):
    """(result, None) or (None, the OutOfBounds raised): any other exception fails."""
    try:
        return function(*args, **kwargs), None
    except OutOfBounds as problem:
        return None, problem


HUGE = st.integers(min_value=-(10**30), max_value=10**30)


@hsettings(deadline=None)  # no wall-clock limit: CI machines are shared
@given(st.one_of(TEXT, HUGE, st.floats(allow_nan=True), st.none(), st.booleans()))
def test_a_whole_number_is_taken_within_its_bounds_or_refused_by_name(value):
    number, problem = outcome(bounds.bounded_int, value, field="amount", minimum=0, maximum=1000)
    assert (problem.field == "amount") if problem else (0 <= number <= 1000)


def test_whole_numbers_in_every_script_and_no_superscripts():
    assert bounds.bounded_int("٥٠٠", field="n") == 500
    assert bounds.bounded_int("५००", field="n") == 500
    assert bounds.bounded_int("-12", field="n", minimum=-20) == -12
    for bad in ("²", "①", "1e3", "12.5", "", "9" * 40, "0x10"):
        with pytest.raises(OutOfBounds):
            bounds.bounded_int(bad, field="n", maximum=10**12)


@hsettings(deadline=None)  # no wall-clock limit: CI machines are shared
@given(TEXT, st.booleans(), st.booleans())
def test_text_is_stored_clean_or_refused(value, strict, one_line):
    text, problem = outcome(
        bounds.clean_text, value, field="t", max_length=20, strict=strict, one_line=one_line
    )
    if problem:
        assert strict and problem.field == "t"
        return
    text.encode("utf-8")  # no lone surrogate left
    assert len(text) <= 20
    assert "\x00" not in text and unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text)


def test_moments_outside_the_window_are_refused_by_name():
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    for stamp in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "1999-12-31T00:00Z"):
        with pytest.raises(OutOfBounds) as refused:
            bounds.parse_moment(stamp, field="received_at", now=now)
        assert refused.value.field == "received_at"
    for bad in ("2026-02-30T10:00:00+05:00", "2026-03-01T10:00:00", "yesterday", 5):
        with pytest.raises(OutOfBounds):
            bounds.parse_moment(bad, field="received_at", now=now)
    ok = bounds.parse_moment("2026-03-01T10:30:00+05:00", field="received_at", now=now)
    assert ok == dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)
    with pytest.raises(OutOfBounds):
        bounds.parse_epoch_seconds("99999999999999", field="time", now=now)
    with pytest.raises(OutOfBounds):
        bounds.parse_epoch_seconds("-5", field="time", now=now)


@hsettings(deadline=None)  # no wall-clock limit: CI machines are shared
@given(
    st.recursive(
        st.none() | st.integers() | TEXT,
        lambda kids: st.lists(kids) | st.dictionaries(TEXT, kids),
        max_leaves=20,
    )
)
def test_json_is_taken_within_limits(value):
    body = json.dumps(value)
    loaded, problem = outcome(bounds.load_json, body)
    if problem:
        assert problem.field == "body" and bounds.json_depth(value) > bounds.MAX_JSON_DEPTH
    else:
        assert loaded == value


@pytest.mark.parametrize("depth", [bounds.MAX_JSON_DEPTH + 1, 5_000, 200_000])
def test_json_nested_deeper_than_the_limit_is_refused_not_a_recursion_error(depth):
    with pytest.raises(OutOfBounds, match="nests deeper"):
        bounds.load_json("[" * depth + "]" * depth)
    with pytest.raises(OutOfBounds, match="nests deeper"):
        bounds.load_json('{"a":' * depth + "1" + "}" * depth)


@hsettings(max_examples=300, deadline=None)
@given(TEXT)
def test_no_reply_breaks_the_parsers_and_every_amount_is_within_reason(text):
    tokens(text)
    bribe_signal(text)
    amount = bribe_amount(text)
    assert amount is None or 0 <= amount <= bounds.MAX_AMOUNT


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("٥٠٠ روپے لیے", 500),  # Arabic-Indic
        ("۵۰۰ روپے", 500),  # Urdu
        ("५०० rupay liye", 500),  # Devanagari
        ("５００ rupay", 500),  # full-width
        ("𝟓𝟎𝟎 rupay", 500),  # mathematical digits
        ("²⁰⁰ rupay liye", None),  # superscripts are no number a citizen writes
        ("①②③ rupay", None),
        ("clerk ne " + "9" * 40 + " rupay mangay", None),  # no sum within reason
        ("9999999999999 hazar", None),
        ("1" + "0" * 400 + " rupay", None),  # once an infinite float
    ],
)
def test_amounts_in_every_script_and_none_from_digit_like_signs(text, amount):
    assert bribe_amount(text) == amount


@hsettings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_the_classifier_takes_any_reply(texts):
    from cfmp.feedback.classifier import get_classifier

    results = get_classifier().classify_many(texts)
    assert len(results) == len(texts)
    for result in results:
        assert 0 <= result.confidence <= 1
        assert result.bribe_amount is None or 0 <= result.bribe_amount <= bounds.MAX_AMOUNT
