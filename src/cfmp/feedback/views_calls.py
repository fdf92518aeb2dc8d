"""The call-centre console: take the next citizen, call, record what they said; and the log
of senior officials' direct calls. Thin: the work is in `feedback.callcentre`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cfmp.accounts.models import IdentityView
from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_call_citizens
from cfmp.accounts.services import record_identity_view
from cfmp.feedback import callcentre
from cfmp.feedback.models import CallRequest
from cfmp.feedback.questionnaire import CallForm
from cfmp.feedback.selectors import (
    call_queue_counts,
    calls_made_by,
    current_call,
    direct_calls_visible_to,
    held_call,
)
from cfmp.intake.phones import normalise_phone


def _require_caller(request: HttpRequest) -> None:
    if not can_call_citizens(request.user):
        raise PermissionDenied


@login_required
def console(request: HttpRequest) -> HttpResponse:
    _require_caller(request)
    recent = list(calls_made_by(request.user).select_related("feedback")[:20])
    record_identity_view(  # the recent calls show citizens' numbers
        user=request.user,
        purpose=IdentityView.Purpose.CALL_CONSOLE,
        subject="feedback.citizencall",
        object_ids=[call.pk for call in recent],
        request=request,
    )
    return render(
        request,
        "feedback/console.html",
        {
            "counts": [
                (label, call_queue_counts()[value]) for value, label in CallRequest.Reason.choices
            ],
            "held": current_call(request.user),
            "recent": recent,
        },
    )


@requires("call-next")
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    _require_caller(request)
    call = callcentre.take_next_call(agent=request.user)
    if call is None:
        messages.info(request, _("Nobody is waiting for a call."))
        return redirect("call-console")
    return redirect("call-detail", pk=call.pk)


@requires("call-detail")
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One citizen to call: who, about what, and the questionnaire."""
    call = get_object_or_404(held_call(request.user, pk))
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        callcentre.record_call(
            request=call,
            agent=request.user,
            outcome=form.cleaned_data["outcome"],
            answers=form.answers(),
        )
        messages.success(request, _("Call recorded."))
        return redirect("call-console")
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.CALL,
        subject="feedback.callrequest",
        object_ids=[call.pk],
        request=request,
    )
    return render(request, "feedback/call.html", {"call": call, "form": form})


class DirectCallForm(CallForm):
    direct_caller = forms.CharField(
        label=gettext_lazy("Who called"),
        max_length=100,
        help_text=gettext_lazy("The senior official, e.g. Chief Minister, DC Lahore."),
    )
    mobile = forms.CharField(label=gettext_lazy("Citizen's mobile number"), max_length=32)
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    field_order = ["direct_caller", "mobile", "outcome"]

    def clean_mobile(self) -> str:
        number = normalise_phone(self.cleaned_data["mobile"])
        if not number.e164:
            raise forms.ValidationError(_("Not a Pakistani mobile number."))
        return number.e164


@requires("direct-calls")
def direct_calls(request: HttpRequest) -> HttpResponse:
    """Senior officials' direct calls to citizens: the log, and a form to add one."""
    _require_caller(request)
    form = DirectCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        callcentre.log_direct_call(
            logged_by=request.user,
            direct_caller=form.cleaned_data["direct_caller"],
            mobile=form.cleaned_data["mobile"],
            outcome=form.cleaned_data["outcome"],
            answers=form.answers(),
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("Direct call logged."))
        return redirect("direct-calls")
    calls = list(direct_calls_visible_to(request.user)[:100])
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.DIRECT_CALL,
        subject="feedback.citizencall",
        object_ids=[call.pk for call in calls],
        request=request,
    )
    return render(request, "feedback/direct_calls.html", {"calls": calls, "form": form})
