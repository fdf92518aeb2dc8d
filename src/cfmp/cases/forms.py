from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfmp.cases.models import Action, Case


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=Action.Kind.choices)
    taken_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError(_("An action cannot be dated in the future."))
        return taken_on


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=Case.State.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required to dismiss a case as unfounded."),
    )


class BulkForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none())
    to_state = forms.ChoiceField(label=_("New state"), choices=Case.State.choices)
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            field = self.fields["cases"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = cases
