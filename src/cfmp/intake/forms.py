from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfmp.core.forms import OnceForm
from cfmp.registry.models import Office, Service
from cfmp.registry.selectors import offices_visible_to, services_visible_to

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class _DepartmentSelect(forms.Select):
    """Each office and service carries its department: the page (static/cfmp/forms.js)
    offers only the chosen office's services."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-department"] = instance.department_id
        return option


class TransactionForm(OnceForm):
    """The operator's data-entry form. Field checks beyond shape are the intake service's,
    shared with the API and file imports; its errors come back onto these fields, with what
    was typed kept. The services offered are those of the chosen office (narrowed on the
    page as the office is chosen, and here once it is)."""

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
        label=_("Office"),
        queryset=Office.objects.none(),
        to_field_name="code",
        widget=_DepartmentSelect(attrs={"data-narrows": "id_service"}),
    )
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        to_field_name="code",
        widget=_DepartmentSelect,
    )
    official = forms.CharField(label=_("Official's employee code"), max_length=64, required=False)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=200)
    mobile = forms.CharField(
        label=_("Citizen's mobile"),
        max_length=40,
        required=False,
        help_text=_("The citizen will be asked about the service on this number."),
    )
    no_mobile = forms.BooleanField(
        label=_("The citizen has no mobile"),
        required=False,
        help_text=_("Only when the citizen truly has none: counted in the data-quality report."),
    )
    cnic = forms.CharField(label=_("CNIC (optional)"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = offices_visible_to(user).filter(is_active=True)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        services = services_visible_to(user).filter(
            is_active=True, department__in=offices.values("department")
        )
        chosen = offices.filter(code=self.data.get("office", "")).first() if self.data else None
        if chosen is not None:  # the chosen office's services only
            services = services.filter(department=chosen.department_id)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]


class UploadForm(OnceForm):
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
