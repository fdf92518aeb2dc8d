"""Password rules beyond Django's, after NIST SP 800-63B (the standard governments follow):
length over composition, no common or trivially patterned passwords, long passphrases
welcome. Minimum length, common-password and similarity checks are Django's own."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """Passphrases up to 128 characters are accepted; longer input is refused (it only costs
    the hasher time, and 800-63B asks for at least 64)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is longer than %(max)d characters.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Your password may be up to %(max)d characters long.") % {"max": self.max_length}


class RepeatedCharacterValidator:
    """Refuses passwords that are one character or a short pattern repeated ("aaaaaaaaaaaa",
    "abcabcabcabc"): long enough for the length rule, guessed at once."""

    def validate(self, password: str, user: Any = None) -> None:
        if re.fullmatch(r"(.{1,3})\1+", password):
            raise ValidationError(
                _("This password is a short pattern repeated."), code="password_repeated"
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a short pattern repeated.")
