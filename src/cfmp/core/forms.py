"""Form pieces shared by every app's forms."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class OnceForm(forms.Form):
    """A form that writes: each rendering carries a fresh token, and its first submission
    spends it (`cfmp.core.services.spend_form_token`), so a repeat writes nothing. A form
    re-shown with errors keeps the token it was submitted with."""

    form_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This page has expired: reload it and enter your answers again."),
            "invalid": _("This page has expired: reload it and enter your answers again."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
