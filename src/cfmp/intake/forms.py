from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfmp.registry.models import Office, Service
from cfmp.registry.selectors import offices_visible_to, services_visible_to

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class TransactionForm(forms.Form):
    """The operator's data-entry form. Field checks beyond shape are the intake service's,
    shared with the API and file imports; its errors come back onto these fields."""

    reference = forms.CharField(
        label=_("Receipt or token number"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to have one generated."),
    )
    occurred_at = forms.DateTimeField(
        label=_("Date and time of service"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    office: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), to_field_name="code"
    )
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), to_field_name="code"
    )
    official = forms.CharField(label=_("Official's employee code"), max_length=64, required=False)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=200)
    mobile = forms.CharField(label=_("Citizen's mobile"), max_length=40, required=False)
    cnic = forms.CharField(label=_("CNIC (optional)"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = offices_visible_to(user).filter(is_active=True)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["service"].queryset = services_visible_to(user).filter(  # type: ignore[attr-defined]
            is_active=True, department__in=offices.values("department")
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: reference, occurred_at, service, office, official, citizen_name, "
            "mobile, cnic."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 200 MB; use the "
                    "cfmp import-transactions command instead."
                )
            )
        return upload
