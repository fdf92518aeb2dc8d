"""The call-centre console: take the next citizen, call, record what they said; and the log
of senior officials' direct calls. Thin: the work is in `feedback.callcentre`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cfmp.accounts.models import IdentityView
from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_call_citizens
from cfmp.accounts.services import record_identity_view
from cfmp.core.http import SignedInRequest
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.core.once import already_done, posted_token
from cfmp.core.selectors import spent_form_token
from cfmp.core.services import AlreadySubmitted, write_once
from cfmp.feedback import callcentre
from cfmp.feedback.lists import CALL_COLUMNS, CallFilters
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
def console(request: SignedInRequest) -> HttpResponse:
    _require_caller(request)
    listing = Listing(request, calls_made_by(request.user).select_related("feedback"),
                      filterset=CallFilters, columns=CALL_COLUMNS, default_sort="-when",
                      tie=("-pk",))  # fmt: skip
    if listing.export_format:
        return _export_calls(request, listing)
    page = listing.page()
    recent = list(page)
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
            "page": page,
            "listing": listing,
        },
    )


def _export_calls(request: SignedInRequest, listing: Listing) -> HttpResponse:
    exported: list[int] = []

    def convert(chunk: list) -> list[list]:
        exported.extend(call.pk for call in chunk)
        return [
            [call.called_at, call.mobile, call.get_outcome_display(),
             call.feedback.get_category_display() if _feedback(call) else ""]
            for call in chunk
        ]  # fmt: skip

    rows = list(export_rows(listing.queryset, convert))
    record_identity_view(user=request.user, purpose=IdentityView.Purpose.LIST_EXPORT,
                         subject="feedback.citizencall", object_ids=exported,
                         request=request)  # fmt: skip
    return export_response(name="calls", fmt=listing.export_format or "csv",
                           headers=[_("When"), _("Number"), _("Outcome"), _("Feedback")],
                           rows=rows)  # fmt: skip


def _feedback(call) -> bool:
    try:
        return call.feedback is not None
    except ObjectDoesNotExist:
        return False


@requires("call-next")
@require_POST
def take_next(request: SignedInRequest) -> HttpResponse:
    _require_caller(request)
    call = callcentre.take_next_call(agent=request.user)
    if call is None:
        messages.info(request, _("Nobody is waiting for a call."))
        return redirect("call-console")
    return redirect("call-detail", pk=call.pk)


def _ask_to_confirm(form: CallForm, summary: str) -> str:
    """Show the form again with what it will record, tied to these very answers."""
    data = dict(form.data.items())  # a QueryDict when bound: its last value per field
    data["confirmed"] = form.digest()
    form.data = data
    return summary


@requires("call-detail")
def call_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One citizen to call: who, about what, and the questionnaire. Valid answers are
    summarised ("bribe of Rs 2,000 against …") and recorded only once the agent confirms
    that summary; the page sent twice records the call once."""
    call = held_call(request.user, pk).first()
    if call is None:
        if request.method == "POST" and (
            spent := spent_form_token(token=posted_token(request), user=request.user)
        ):
            return already_done(
                request, AlreadySubmitted(spent.outcome_url), fallback=reverse("call-console")
            )
        raise Http404
    form = CallForm(request.POST or None)
    summary = ""
    if request.method == "POST" and form.is_valid():
        outcome, answers = form.cleaned_data["outcome"], form.answers()
        if form.is_confirmed():

            def record() -> str:
                callcentre.record_call(
                    request=call, agent=request.user, outcome=outcome, answers=answers
                )
                return reverse("call-console")

            try:
                write_once(token=form.cleaned_data["form_token"], user=request.user,
                           purpose="call", write=record)  # fmt: skip
            except AlreadySubmitted as repeat:
                return already_done(request, repeat, fallback=reverse("call-console"))
            messages.success(request, _("Call recorded."))
            return redirect("call-console")
        summary = _ask_to_confirm(
            form,
            callcentre.summarise_call(
                outcome=outcome, answers=answers, about=call.transaction, tries=call.tries
            ),
        )
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.CALL,
        subject="feedback.callrequest",
        object_ids=[call.pk],
        request=request,
    )
    return render(request, "feedback/call.html", {"call": call, "form": form, "summary": summary})


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
def direct_calls(request: SignedInRequest) -> HttpResponse:
    """Senior officials' direct calls to citizens: the log, and a form to add one."""
    _require_caller(request)
    form = DirectCallForm(request.POST or None)
    summary = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.is_confirmed():

            def log() -> str:
                callcentre.log_direct_call(
                    logged_by=request.user,
                    direct_caller=data["direct_caller"],
                    mobile=data["mobile"],
                    outcome=data["outcome"],
                    answers=form.answers(),
                    notes=data["notes"],
                )
                return reverse("direct-calls")

            try:
                write_once(token=data["form_token"], user=request.user, purpose="direct-call",
                           write=log)  # fmt: skip
            except AlreadySubmitted as repeat:
                return already_done(request, repeat, fallback=reverse("direct-calls"))
            messages.success(request, _("Direct call logged."))
            return redirect("direct-calls")
        summary = _ask_to_confirm(
            form,
            callcentre.summarise_call(
                outcome=data["outcome"],
                answers=form.answers(),
                about=callcentre.latest_transaction_of(data["mobile"]),
            ),
        )
    calls = list(direct_calls_visible_to(request.user)[:100])
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.DIRECT_CALL,
        subject="feedback.citizencall",
        object_ids=[call.pk for call in calls],
        request=request,
    )
    return render(
        request,
        "feedback/direct_calls.html",
        {"calls": calls, "form": form, "summary": summary},
    )
