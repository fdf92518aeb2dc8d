"""Forms that change cases. Each is sent once (a form token), and none starts answered: an
action, a new state or a kind of case is always chosen by the person (issue 17)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfmp.cases.models import Action, Audience, Case, Kind
from cfmp.core.forms import OnceForm

_CHOOSE = [("", _("— choose —"))]


class ActionForm(OnceForm):
    kind = forms.ChoiceField(label=_("Action"), choices=_CHOOSE + list(Action.Kind.choices))
    taken_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    # Chosen by the author; the narrower audience unless they say otherwise (issue 20).
    attachment_audience = forms.ChoiceField(
        label=_("Who may open the attachment"),
        choices=Audience.choices,
        initial=Audience.IDENTITY,
        required=False,
    )

    def clean_attachment_audience(self):
        return self.cleaned_data.get("attachment_audience") or Audience.IDENTITY

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError(_("An action cannot be dated in the future."))
        return taken_on


class MoveForm(OnceForm):
    to_state = forms.ChoiceField(label=_("New state"), choices=_CHOOSE + list(Case.State.choices))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required to dismiss a case as unfounded."),
    )


class BulkForm(OnceForm):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none())
    to_state = forms.ChoiceField(label=_("New state"), choices=_CHOOSE + list(Case.State.choices))
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            field = self.fields["cases"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = cases


class OpenCaseForm(OnceForm):
    """A reviewer opens a case on one feedback: the kind, why, and, when the feedback is
    not already a complaint of that kind, the explicit correction of its category."""

    kind = forms.ChoiceField(
        label=_("Kind of case"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of case.")},
    )
    reason = forms.CharField(
        label=_("Why open a case"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the case is opened.")},
        help_text=_("Written to the case's trail with your name."),
    )
    correct = forms.BooleanField(
        label=_("Correct this feedback's category to the kind of case chosen"),
        required=False,
        help_text=_("Needed when the citizen's feedback is not already this complaint."),
    )
