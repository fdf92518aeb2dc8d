import pytest

from cfmp.intake.phones import Reachability, looks_made_up, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0300-1234567",
        "03001234567",
        "+92 300 1234567",
        "923001234567",
        "0092 300 1234567",
        "3001234567",
        "0300 123 4567",
        "0300.123.4567",
        "(0300) 1234567",
        "۰۳۰۰-۱۲۳۴۵۶۷",
        "+۹۲ ۳۰۰ ۱۲۳۴۵۶۷",
        " 0300-1234567 ",
        "0300１234567",  # a full-width digit, as some phone keyboards type
        "٠٣٠٠١٢٣٤٥٦٧",  # Arabic-Indic digits
    ],
)
def test_what_offices_type_becomes_e164(typed):
    phone = normalise_phone(typed)
    assert phone.e164 == "+923001234567"
    assert phone.reachability == Reachability.MOBILE
    assert phone.raw == typed.strip()


@pytest.mark.parametrize(
    ("typed", "reachability", "e164"),
    [
        ("042-35880062", Reachability.LANDLINE, "+924235880062"),
        ("(042) 3588 0062", Reachability.LANDLINE, "+924235880062"),
        ("051-9201234", Reachability.LANDLINE, "+92519201234"),
        ("12345", Reachability.INVALID, ""),
        ("0300-12345", Reachability.INVALID, ""),
        ("not a number", Reachability.INVALID, ""),
        ("", Reachability.MISSING, ""),
        ("+44 7911 123456", Reachability.FOREIGN, "+447911123456"),
    ],
)
def test_numbers_that_cannot_take_sms_say_why(typed, reachability, e164):
    phone = normalise_phone(typed)
    assert phone.reachability == reachability
    assert phone.e164 == e164
    assert not phone.is_mobile


def test_fast_path_agrees_with_the_full_parser_over_the_mobile_range():
    import phonenumbers

    for prefix in range(300, 400):
        typed = f"0{prefix}5551234"
        expected = phonenumbers.parse(typed, "PK")
        is_mobile = phonenumbers.number_type(expected) == phonenumbers.PhoneNumberType.MOBILE
        assert normalise_phone(typed).is_mobile == (
            is_mobile and phonenumbers.is_valid_number(expected)
        ), typed


@pytest.mark.parametrize(
    ("e164", "made_up"),
    [
        ("+923000000000", True),
        ("+923001234567", True),
        ("+923007654321", True),
        ("+923331111111", True),
        ("+923458817263", False),
        ("+923214455667", False),
    ],
)
def test_sequential_and_repeated_digits_look_made_up(e164, made_up):
    assert looks_made_up(e164) is made_up
