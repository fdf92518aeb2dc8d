"""The call-centre questionnaire, and what its answers say as one feedback category."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from cfmp.feedback.models import Category, CitizenCall

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    CHOICES = [
        (ON_TIME, _("on time")),
        (LATE, _("took too long, or many visits")),
        (PENDING, _("still pending")),
    ]


class Treatment:
    GOOD = "good"
    FAIR = "fair"
    BAD = "bad"
    CHOICES = [(GOOD, _("well")), (FAIR, _("fairly")), (BAD, _("badly: rude, abusive, threats"))]


class CallForm(forms.Form):
    """One call: its outcome and, when the citizen answered, the five questions."""

    outcome = forms.ChoiceField(
        label=_("Call outcome"), choices=CitizenCall.Outcome.choices, widget=forms.RadioSelect
    )
    received_service = forms.ChoiceField(
        label=_("Did you receive the service?"), choices=YES_NO, required=False
    )
    money_asked = forms.ChoiceField(
        label=_("Did anyone ask you for money beyond the official fee?"),
        choices=YES_NO,
        required=False,
    )
    amount = forms.IntegerField(label=_("How much (rupees)?"), min_value=0, required=False)
    timeliness = forms.ChoiceField(
        label=_("How long did it take?"), choices=Timeliness.CHOICES, required=False
    )
    treatment = forms.ChoiceField(
        label=_("How were you treated?"), choices=Treatment.CHOICES, required=False
    )
    comments = forms.CharField(
        label=_("Anything else?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("outcome") == CitizenCall.Outcome.ANSWERED:
            for field in ("received_service", "money_asked", "timeliness", "treatment"):
                if not data.get(field) and not (
                    field != "received_service" and data.get("received_service") == "no"
                ):
                    self.add_error(field, _("Ask this question: the citizen answered."))
        return data

    def answers(self) -> dict:
        """The answers as stored on the call (only those asked)."""
        data = self.cleaned_data
        if data["outcome"] != CitizenCall.Outcome.ANSWERED:
            return {}
        keys = ("received_service", "money_asked", "amount", "timeliness", "treatment", "comments")
        return {key: data[key] for key in keys if data.get(key) not in (None, "")}


@dataclass(frozen=True)
class Verdict:
    category: str
    bribe_amount: int | None


def verdict_from_answers(answers: dict, *, classify_comment=None) -> Verdict:
    """The most serious thing the citizen said (bribe > misbehaviour > delay >
    other_complaint); a service never received is a sign of a fake transaction. Free comments
    count only when the answers found nothing wrong, read by the same classifier as SMS."""
    if answers.get("received_service") == "no":
        return Verdict(Category.NOT_AVAILED, None)
    if answers.get("money_asked") == "yes":
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
    return Verdict(Category.SATISFIED, None)
