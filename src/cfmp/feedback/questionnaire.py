"""The call-centre questionnaire, and what its answers say as one feedback category.

Every answer is a choice the agent makes (issue 17): no question starts answered, each
offers "not asked / citizen declined", and an answered call is refused while a question is
left blank. What the answers will be recorded as is shown to the agent before they confirm."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cfmp.core.forms import OnceForm
from cfmp.feedback.models import Category, CitizenCall

DECLINED = "declined"  # the question was not asked, or the citizen would not answer it
_DECLINED_LABEL = _("not asked / citizen declined")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = DECLINED, _DECLINED_LABEL


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("took too long, or many visits")
    PENDING = "pending", _("still pending")
    DECLINED = DECLINED, _DECLINED_LABEL


class Treatment(models.TextChoices):
    GOOD = "good", _("well")
    FAIR = "fair", _("fairly")
    BAD = "bad", _("badly: rude, abusive, threats")
    DECLINED = DECLINED, _DECLINED_LABEL


QUESTIONS = ("received_service", "money_asked", "timeliness", "treatment")


def _question(label: Any, choices: Any) -> forms.ChoiceField:
    # Radio buttons with none checked: the agent must choose (a select shows its first
    # option as if it were the answer).
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


class CallForm(OnceForm):
    """One call: its outcome and, when the citizen answered, the four questions."""

    outcome = forms.ChoiceField(
        label=_("Call outcome"),
        choices=CitizenCall.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the call's outcome.")},
    )
    received_service = _question(_("Did you receive the service?"), YesNo.choices)
    money_asked = _question(
        _("Did anyone ask you for money beyond the official fee?"), YesNo.choices
    )
    amount = forms.IntegerField(
        label=_("How much (rupees)?"), min_value=1, max_value=10_000_000, required=False
    )
    amount_not_said = forms.BooleanField(
        label=_("The citizen did not say how much"), required=False
    )
    timeliness = _question(_("How long did it take?"), Timeliness.choices)
    treatment = _question(_("How were you treated?"), Treatment.choices)
    comments = forms.CharField(
        label=_("Anything else?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # The summary the agent saw and confirmed (a digest of the answers): what is recorded
    # is exactly what was summarised, or the summary is shown again.
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        answered = data.get("outcome") == CitizenCall.Outcome.ANSWERED
        if answered:
            for field in QUESTIONS:
                if not data.get(field):
                    self.add_error(
                        field,
                        gettext(
                            "Choose an answer: the citizen answered the call "
                            "(or choose “not asked / citizen declined”)."
                        ),
                    )
        money_asked = answered and data.get("money_asked") == YesNo.YES
        if money_asked and data.get("amount") is None and not data.get("amount_not_said"):
            self.add_error(
                "amount", gettext("Enter the amount, or tick that the citizen did not say.")
            )
        if money_asked and data.get("amount") is not None and data.get("amount_not_said"):
            self.add_error("amount_not_said", gettext("An amount was entered."))
        if not money_asked and data.get("amount") is not None:
            self.add_error(
                "amount", gettext("Only for a call where the citizen was asked for money.")
            )
        return data

    def answers(self) -> dict:
        """The answers as stored on the call: every question, as the agent chose it."""
        data = self.cleaned_data
        if data["outcome"] != CitizenCall.Outcome.ANSWERED:
            return {}
        keys = (*QUESTIONS, "amount", "comments")
        return {key: data[key] for key in keys if data.get(key) not in (None, "")}

    def digest(self) -> str:
        """A short digest of what this form will record, to tie a confirmation to it."""
        what = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("form_token", "confirmed")
        }
        encoded = json.dumps(what, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()[:32]

    def is_confirmed(self) -> bool:
        return self.cleaned_data.get("confirmed") == self.digest()


@dataclass(frozen=True)
class Verdict:
    category: str
    bribe_amount: int | None


def verdict_from_answers(answers: dict, *, classify_comment=None) -> Verdict:
    """The most serious thing the citizen said (bribe > misbehaviour > delay >
    other_complaint); a service never received is a sign of a fake transaction. Free comments
    count only when the answers found nothing wrong, read by the same classifier as SMS.
    A question the citizen declined says nothing either way."""
    if answers.get("received_service") == YesNo.NO:
        return Verdict(Category.NOT_AVAILED, None)
    if answers.get("money_asked") == YesNo.YES:
        return Verdict(Category.BRIBE, answers.get("amount") or None)
    if answers.get("treatment") == Treatment.BAD:
        return Verdict(Category.MISBEHAVIOUR, None)
    if answers.get("timeliness") in (Timeliness.LATE, Timeliness.PENDING):
        return Verdict(Category.DELAY, None)
    comment = answers.get("comments", "").strip()
    if comment and classify_comment is not None:
        said = classify_comment(comment)
        if said.category in (Category.OTHER_COMPLAINT, Category.DELAY, Category.MISBEHAVIOUR):
            return Verdict(said.category, None)
        if said.category == Category.BRIBE:
            return Verdict(Category.BRIBE, said.bribe_amount)
    if all(answers.get(q) == DECLINED for q in QUESTIONS):
        return Verdict(Category.UNCLEAR, None)  # the citizen told us nothing
    return Verdict(Category.SATISFIED, None)
