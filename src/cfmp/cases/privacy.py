"""What officers write on a case (action notes, dismissal reasons, the trail's reasons,
attachments' names), as a reader below the identity roles may see it: masked like the
citizens' words (`cfmp.feedback.privacy`), against the names of the case's office's officials
and of the citizens who complained. Officers write "Complainant Kiran, 0308-…" in good
faith; the office head must not read it."""

from __future__ import annotations

import os
from typing import Any

from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.feedback.privacy import mask_text, official_names_by_office


def case_names(case: Any) -> list[str]:
    """The names a case's text is masked against: its office's officials and its
    complainants (two queries, whatever the number of notes on the page)."""
    from cfmp.intake.models import Transaction

    officials = official_names_by_office([case.office_id]).get(case.office_id, [])
    complainants = Transaction.objects.filter(feedback__case_evidence__case=case).values_list(
        "citizen_name", flat=True
    )
    return [*officials, *complainants]


def would_be_masked(text: str, *, names: list[str]) -> bool:
    """Whether readers below the identity roles would read this text masked: the writer is
    warned (never refused: what they wrote stays whole for the secretariat)."""
    return mask_text(text, names=names) != text


class CaseText:
    """One reader's view of one case's free text: whole for the identity roles, masked
    for everyone else. Names are read once, on first use."""

    def __init__(self, case: Any, user: Any) -> None:
        self._case = case
        self._whole = can_view_citizen_identity(user)
        self._names: list[str] | None = None

    def __call__(self, text: str) -> str:
        if self._whole or not text:
            return text
        if self._names is None:
            self._names = case_names(self._case)
        return mask_text(text, names=self._names)

    def file_name(self, name: str) -> str:
        """An attachment's file name (its folders dropped), masked like a note."""
        return self(os.path.basename(name))
