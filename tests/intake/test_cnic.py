import pytest
from cryptography.exceptions import InvalidTag

from cfmp.intake.cnic import (
    InvalidCnic,
    cnic_digest,
    masked_cnic,
    open_sealed_cnic,
    parse_cnic,
    protect_cnic,
)


@pytest.mark.parametrize(
    "typed",
    ["35202-1234567-1", "3520212345671", "۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "٣٥٢٠٢-١٢٣٤٥٦٧-١", "35202 1234567 1"],
)
def test_cnic_forms_parse_to_13_digits(typed):
    assert parse_cnic(typed) == "3520212345671"


@pytest.mark.parametrize("typed", ["35202-1234567", "352021234567123", "abcde-fghijkl-m", "1"])
def test_a_cnic_without_13_digits_is_refused(typed):
    with pytest.raises(InvalidCnic):
        parse_cnic(typed)


def test_protected_cnic_matches_by_digest_opens_only_with_the_key_and_masks(settings):
    protected = protect_cnic("3520212345671")
    assert "3520212345671" not in protected.sealed + protected.digest
    assert protected.digest == cnic_digest("3520212345671")
    assert protected.digest != cnic_digest("3520212345672")
    assert protect_cnic("3520212345671").sealed != protected.sealed  # fresh nonce each time
    assert open_sealed_cnic(protected.sealed) == "3520212345671"
    assert masked_cnic(protected.last4) == "*****-****567-1"

    settings.CFMP_CNIC_KEY = "another deployment's key"
    assert cnic_digest("3520212345671") != protected.digest
    with pytest.raises(InvalidTag):
        open_sealed_cnic(protected.sealed)
