"""Case pages: my cases, every case in scope (with the secretariat's bulk changes), one case
with its masked evidence and its forms, an official's history. Thin: the work is in
`cases.services`; who may see and act is in `cases.selectors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import (
    can_act_on_cases,
    can_bulk_edit_cases,
    can_open_attachment,
    can_read_case_trail,
    can_review_feedback,
)
from cfmp.cases import services
from cfmp.cases.forms import ActionForm, BulkForm, MoveForm, OpenCaseForm
from cfmp.cases.lists import columns_for
from cfmp.cases.lists import filters_for as case_filters_for
from cfmp.cases.models import Action, Audience, Case, CaseEvent, Kind
from cfmp.cases.privacy import (
    CaseShown,
    CaseText,
    case_names,
    generalise_cases,
    released_counts,
    would_be_masked,
)
from cfmp.cases.selectors import (
    COMPLAINT_TIMED,
    cases_visible_to,
    my_cases,
    official_history,
)
from cfmp.cases.standing import MIN_RESPONSES, official_standing
from cfmp.cases.trail import describe, full_names
from cfmp.core.http import SignedInRequest
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.core.once import already_done
from cfmp.core.services import AlreadySubmitted, write_once
from cfmp.feedback.anonymity import applies_to, held_notice, period_of, rows_for
from cfmp.feedback.privacy import masked_words
from cfmp.feedback.selectors import feedback_visible_to
from cfmp.registry.selectors import officials_visible_to


@login_required
def case_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    mine = request.GET.get("mine") == "1"
    cases = my_cases(user) if mine else cases_visible_to(user)
    bulk = BulkForm() if can_bulk_edit_cases(user) else None
    columns, default_sort, tie = columns_for(user, bulk=bulk is not None)
    listing = Listing(request, cases, filterset=case_filters_for(user), columns=columns,
                      default_sort=default_sort, tie=tie)  # fmt: skip
    if listing.export_format:
        return _export_cases(request, listing)
    page = listing.page()
    listed = list(page)
    shown = generalise_cases(listed, user=user)
    counts = released_counts(listed, user=user)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "listing": listing,
            "keep": [("mine", "1")] if mine else [],
            "rows": [(case, shown[case.pk], counts[case.pk]) for case in listed],
            "mine": mine,
            "now": timezone.now(),
            "bulk": bulk,
        },
    )


def _export_cases(request: HttpRequest, listing: Listing) -> HttpResponse:
    def convert(chunk: list) -> list[list]:
        shown = generalise_cases(chunk, user=request.user)
        counts = released_counts(chunk, user=request.user)
        return [
            [case.pk, case.get_kind_display(), counts[case.pk], case.office.shown_name,
             case.official.shown_name if case.official else "", case.get_state_display(),
             case.get_level_display(), _owner(case),
             _label(shown[case.pk].opened),
             f"{timezone.localtime(shown[case.pk].due_by):%Y-%m-%d}"
             if shown[case.pk].due_by else ""]
            for case in chunk
        ]  # fmt: skip

    headers = [_("Case"), _("Kind"), _("Complaints"), _("Office"), _("Official"), _("State"),
               _("Level"), _("With"), _("Opened"), _("Due")]  # fmt: skip
    return export_response(name="cases", fmt=listing.export_format or "csv", headers=headers,
                           rows=list(export_rows(listing.queryset, convert)))  # fmt: skip


def _label(period: Any) -> str:
    return period.label if period is not None else ""


def _owner(case: Case) -> str:
    return case.owner.get_full_name() or case.owner.username if case.owner else ""


@requires("cases:bulk")
@require_POST
def bulk_move(request: SignedInRequest) -> HttpResponse:
    """The secretariat moves many cases at once; each one goes through the state machine
    and its trail, and those that cannot move are named."""
    if not can_bulk_edit_cases(request.user):
        raise PermissionDenied
    form = BulkForm(request.POST, cases=cases_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose cases and a state."))
        return redirect("cases:list")
    moved, refused = 0, []

    def write() -> str:
        nonlocal moved
        for case in form.cleaned_data["cases"]:
            try:
                with transaction.atomic():
                    services.move_case(
                        case=case,
                        actor=request.user,
                        to_state=form.cleaned_data["to_state"],
                        reason=form.cleaned_data["reason"],
                    )
                moved += 1
            except services.CaseError as problem:
                refused.append(f"#{case.pk}: {problem}")
        return reverse("cases:list")

    token = form.cleaned_data["form_token"]
    try:
        write_once(token=token, user=request.user, purpose="cases-bulk", write=write)
    except AlreadySubmitted as repeat:
        return already_done(request, repeat, fallback=reverse("cases:list"))
    messages.success(
        request,
        ngettext("%(n)d case moved.", "%(n)d cases moved.", moved) % {"n": moved},
    )
    for line in refused:
        messages.error(request, line)
    return redirect("cases:list")


def _case_for(request: SignedInRequest, pk: int) -> Case:
    return get_object_or_404(cases_visible_to(request.user), pk=pk)


@login_required
def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The case with its complaints masked: officials read what was said, never who said it
    (the sender is never shown here, whoever looks). Each look is written to the trail."""
    case = _case_for(request, pk)
    services.record_evidence_view(case=case, user=request.user)
    evidence = case.evidence.select_related(
        "feedback__message",
        "feedback__transaction__service",
        "feedback__transaction__office",
        "feedback__transaction__official",
        "feedback__office",
        "feedback__service",
    ).order_by("added_at")
    # Masked whoever looks: the case page is an officer's, never a place to read who it was.
    complaints = rows_for([item.feedback for item in evidence], user=request.user, masked=True)
    dates = generalise_cases([case], user=request.user)[case.pk]
    text = CaseText(case, request.user)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "complaints": complaints,
            "dismissal_reason": text(case.dismissal_reason),
            "actions": _actions(case, request.user, text),
            "dates": dates,
            "held_notice": held_notice() if applies_to(request.user) else "",
            "events": _trail(case, request.user, text, dates)
            if can_read_case_trail(request.user)
            else None,
            "can_act": can_act_on_cases(request.user),
            "action_form": ActionForm(),
            "move_form": MoveForm(),
            "now": timezone.now(),
        },
    )


def _trail(case: Case, user: Any, text: CaseText, dates: CaseShown) -> list[tuple]:
    """The trail, each event with the period shown for it: below the identity roles, at the
    grain of the case's opening, leaving out the events a later complaint's arrival wrote
    and those whose period has not ended (`cfmp.feedback.anonymity`)."""
    events = case.events.select_related("actor").order_by("at", "pk")
    if not applies_to(user):
        listed = list(events)
        names = full_names(listed)
        return [
            (event, period_of(event.at, "minute"), describe(event, mask=text, names=names))
            for event in listed
        ]
    now = timezone.now()
    listed = list(events.exclude(COMPLAINT_TIMED & ~Q(kind=CaseEvent.Kind.OPENED)))
    names = full_names(listed)
    rows = []
    for event in listed:
        period = period_of(event.at, dates.grain)
        if period.end <= now:
            rows.append((event, period, describe(event, mask=text, names=names)))
    return rows


def _actions(case: Case, user: Any, text: CaseText) -> list[dict[str, Any]]:
    """The case's actions as this reader may read them: notes masked below the identity
    roles, an attachment (its name masked too) only for those it is addressed to."""
    rows = []
    for action in case.actions.select_related("author").order_by("taken_on", "pk"):
        opens = bool(action.attachment) and can_open_attachment(
            user,
            addressed_to_all=action.attachment_audience == Audience.CASE,
            author_id=action.author_id,
        )
        rows.append(
            {
                "action": action,
                "note": text(action.note),
                "attachment": text.file_name(action.attachment.name or "") if opens else "",
                "withheld": bool(action.attachment) and not opens,
            }
        )
    return rows


def _warn_if_masked(request: HttpRequest, case: Case, *texts: str) -> None:
    """Warn the writer (never refuse): what they wrote names someone or holds a number, and
    readers below the secretariat will read it masked."""
    written = [text for text in texts if text]
    if written and any(would_be_masked(text, names=case_names(case)) for text in written):
        messages.warning(
            request,
            _(
                "What you wrote seems to name a person or hold a phone or CNIC number: "
                "officers below the secretariat will read it masked. Describe the complaint "
                "without saying who made it."
            ),
        )


def _acting_case(request: SignedInRequest, pk: int) -> Case:
    case = _case_for(request, pk)  # 404 outside the user's scope
    if not can_act_on_cases(request.user):
        raise PermissionDenied
    return case


def _once(
    request: SignedInRequest, form: Any, case: Case, purpose: str, write: Callable[[dict], None]
) -> HttpResponse:
    """Run a case form's write once per rendering of the form; a refusal names its reason."""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("cases:detail", pk=case.pk)
    detail = reverse("cases:detail", args=[case.pk])

    def run() -> str:
        write(form.cleaned_data)
        return detail

    try:
        write_once(token=form.cleaned_data["form_token"], user=request.user, purpose=purpose,
                   write=run)  # fmt: skip
    except AlreadySubmitted as repeat:
        return already_done(request, repeat, fallback=detail)
    except services.CaseError as problem:
        messages.error(request, str(problem))
    return redirect(detail)


@requires("cases:add-action")
@require_POST
def add_action(request: SignedInRequest, pk: int) -> HttpResponse:
    case = _acting_case(request, pk)

    def write(data: dict) -> None:
        services.record_action(
            case=case,
            author=request.user,
            kind=data["kind"],
            taken_on=data["taken_on"],
            note=data["note"],
            attachment=data["attachment"],
            attachment_audience=data["attachment_audience"],
        )
        messages.success(request, _("Action recorded."))
        name = data["attachment"].name if data["attachment"] else ""
        _warn_if_masked(request, case, data["note"], name)

    return _once(request, ActionForm(request.POST, request.FILES), case, "case-action", write)


@requires("cases:move")
@require_POST
def move(request: SignedInRequest, pk: int) -> HttpResponse:
    case = _acting_case(request, pk)

    def write(data: dict) -> None:
        services.move_case(
            case=case, actor=request.user, to_state=data["to_state"], reason=data["reason"]
        )
        messages.success(request, _("Case updated."))
        _warn_if_masked(request, case, data["reason"])

    return _once(request, MoveForm(request.POST), case, "case-move", write)


@login_required
def official(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(officials_visible_to(request.user), pk=pk)
    history = official_history(request.user, person.pk)
    peak = max((n for _, n in history["by_month"]), default=0)
    return render(
        request,
        "cases/official.html",
        {
            "official": person,
            "peak": peak,
            "standing": official_standing(person),
            "min_responses": MIN_RESPONSES,
            **history,
        },
    )


@requires("cases:open-by-hand")
@require_http_methods(["GET", "POST"])
def open_by_hand(request: SignedInRequest, feedback_pk: int) -> HttpResponse:
    """A reviewer opens a case on one feedback: the kind, why, and the correction of its
    category when it is not already that complaint. Refusals are shown on the form."""
    if not can_review_feedback(request.user):
        raise PermissionDenied
    feedback = get_object_or_404(
        feedback_visible_to(request.user).select_related(
            "message", "transaction__office", "transaction__official", "office"
        ),
        pk=feedback_pk,
    )
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def open_it() -> str:
            case = services.open_case_by_hand(
                feedback=feedback,
                kind=data["kind"],
                actor=request.user,
                reason=data["reason"],
                correct=data["correct"],
            )
            messages.success(request, _("Case #%(case)s opened.") % {"case": case.pk})
            _warn_if_masked(request, case, data["reason"])
            return reverse("cases:detail", args=[case.pk])

        try:
            opened = write_once(
                token=data["form_token"], user=request.user, purpose="case-open", write=open_it
            )
        except AlreadySubmitted as repeat:
            return already_done(request, repeat, fallback=reverse("feedback-list"))
        except services.CaseError as problem:
            form.add_error(None, str(problem))
        else:
            return redirect(opened)
    return render(
        request,
        "cases/open.html",
        {
            "feedback": feedback,
            "text": masked_words(feedback),
            "form": form,
            "complaint_kinds": Kind.values,
        },
    )


@login_required
def attachment(request: SignedInRequest, pk: int) -> FileResponse:
    """An action's attachment, for those who may see its case and to whom it is addressed
    (never a public URL); its name masked like a note for readers below the identity
    roles. Anyone else is told it does not exist (404), as for a case out of scope."""
    action = get_object_or_404(
        Action.objects.filter(case__in=cases_visible_to(request.user))
        .exclude(attachment="")
        .select_related("case"),
        pk=pk,
    )
    to_all, author = action.attachment_audience == Audience.CASE, action.author_id
    if not can_open_attachment(request.user, addressed_to_all=to_all, author_id=author):
        raise Http404("no such attachment")
    name = CaseText(action.case, request.user).file_name(action.attachment.name or "")
    return FileResponse(action.attachment.open("rb"), as_attachment=True, filename=name)
