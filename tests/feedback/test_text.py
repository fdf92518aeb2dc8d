"""Reading citizens' text: one spelling for Roman Urdu's many, Urdu letter variants and
digits, and the bribe amount in every form citizens write it."""

import pytest

from cfmp.feedback.amounts import bribe_amount
from cfmp.feedback.lexicon import bribe_signal
from cfmp.feedback.normalise import normalise


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Paisay mangay", "paisa mangay"),
        ("pesay MANGE", "paisa mangay"),
        ("paise diye", "paisa diye"),
        ("paisaaaa", "paisa"),
        ("RISHVAT", "rishwat"),
        ("rishwt li", "rishwat li"),
        ("nahin / NAI / nhi", "nahi / nahi / nahi"),
        ("500rs", "500 rupay"),
        ("Rs.5000/-", "rupay . 5000 / -"),
        ("5K", "5 k"),
        ("chae pani", "chai pani"),
        ("daftar ke paas", "daftar ke paas"),  # "near", not money
        ("ريشوت ك", "ریشوت ک"),  # Arabic yeh and kaf → Urdu
        ("رِشوَت", "رشوت"),  # diacritics dropped
        ("۵۰۰ روپے", "500 روپے"),
        ("٢٠٠٠", "2000"),
        ("کیا؟", "کیا ؟"),
    ],
)
def test_spellings_and_scripts_come_to_one_form(written, read):
    assert normalise(written) == read


@pytest.mark.parametrize(
    ("reply", "amount"),
    [
        ("2 clerk ne 500 rupay mangay", 500),
        ("Rs.5000/- diye tab kaam hua", 5000),
        ("2,000 liye", 2000),
        ("20 hazar mangay", 20_000),
        ("5k diye agent ko", 5000),
        ("پانچ ہزار روپے مانگے", 5000),
        ("کلرک نے ۵۰۰ روپے لیے", 500),
        ("1.5 lakh rishwat", 150_000),
        ("Rishvat 1,00,000", 100_000),
        ("do hazar diye", 2000),
        ("dhai hazar", 2500),
        ("ڈیڑھ ہزار دیے", 1500),
        ("Pesay mangay 3000", 3000),
        ("3 chakkar lagaye, 2000 diye", 2000),
        ("12/03/2026 ko 700 liye", 700),
        ("subah 10:30 baje gaya 1500 diye", 1500),
        ("PKR 800", 800),
        ("teen din se pending hai", None),
        ("koi paisa nahi diya", None),
        ("2", None),
        ("4 ghante intezar", None),
        ("mera number 03001234567 hai", None),
    ],
)
def test_the_bribe_amount_is_read_in_every_form(reply, amount):
    assert bribe_amount(reply) == amount


@pytest.mark.parametrize(
    ("reply", "signal"),
    [
        ("bribe mangi, maine nahi di to file reject kar di", "named"),  # asked, refused
        ("rishwat ka koi chakkar nahi tha", "denied"),
        ("agent ki zaroorat nahi pari", "denied"),
        ("bina rishwat kuch nahi hota", "named"),
        ("بغیر رسید کے ۸۰۰ روپے اضافی لیے گئے", "named"),  # no receipt: not the fee
        ("fee 500 di raseed mili", None),
        ("do din lage", None),
        ("پٹواری کہتا ہے مٹھائی کھلاؤ", "named"),
        ("I paid 4000 at MRA", "named"),
        ("koi paisa nahi diya", "denied"),
    ],
)
def test_the_lexicon_reads_bribes_and_their_denials(reply, signal):
    assert bribe_signal(reply) == signal
