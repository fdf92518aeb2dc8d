"""Case pages: my cases, every case in scope (with the secretariat's bulk changes), one case
with its masked evidence and its forms, an official's history. Thin: the work is in
`cases.services`; who may see and act is in `cases.selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_review_feedback
from cfmp.cases import services
from cfmp.cases.forms import ActionForm, BulkForm, MoveForm
from cfmp.cases.models import Action, Case, Kind, Level
from cfmp.cases.selectors import (
    can_act_on_cases,
    can_bulk_edit_cases,
    can_read_case_trail,
    cases_visible_to,
    my_cases,
    official_history,
)
from cfmp.cases.standing import MIN_RESPONSES, official_standing
from cfmp.feedback.privacy import masked_words
from cfmp.feedback.selectors import feedback_visible_to
from cfmp.registry.selectors import officials_visible_to


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    cases = my_cases(request.user) if mine else cases_visible_to(request.user)
    state, kind, level = (request.GET.get(k, "") for k in ("state", "kind", "level"))
    if state == "active":
        cases = cases.filter(state__in=services.ACTIVE)
    elif state in Case.State.values:
        cases = cases.filter(state=state)
    if kind in Kind.values:
        cases = cases.filter(kind=kind)
    if level in Level.values:
        cases = cases.filter(level=level)
    if request.GET.get("overdue") == "1":
        cases = cases.filter(state__in=services.ACTIVE, due_at__lt=timezone.now())
    page = Paginator(cases.order_by("-priority", "due_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "mine": mine,
            "filters": {"state": state, "kind": kind, "level": level},
            "states": Case.State.choices,
            "kinds": Kind.choices,
            "levels": Level.choices,
            "now": timezone.now(),
            "bulk": BulkForm() if can_bulk_edit_cases(request.user) else None,
        },
    )


@requires("cases:bulk")
@require_POST
def bulk_move(request: HttpRequest) -> HttpResponse:
    """The secretariat moves many cases at once; each one goes through the state machine
    and its trail, and those that cannot move are named."""
    if not can_bulk_edit_cases(request.user):
        raise PermissionDenied
    form = BulkForm(request.POST, cases=cases_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose cases and a state."))
        return redirect("cases:list")
    moved, refused = 0, []
    for case in form.cleaned_data["cases"]:
        try:
            services.move_case(
                case=case,
                actor=request.user,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
            moved += 1
        except services.CaseError as problem:
            refused.append(f"#{case.pk}: {problem}")
    messages.success(request, _("%(n)d cases moved.") % {"n": moved})
    for line in refused:
        messages.error(request, line)
    return redirect("cases:list")


def _case_for(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(cases_visible_to(request.user), pk=pk)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case with its complaints masked: officials read what was said, never who said it
    (the sender is never shown here, whoever looks). Each look is written to the trail."""
    case = _case_for(request, pk)
    services.record_evidence_view(case=case, user=request.user)
    evidence = case.evidence.select_related("feedback__message", "feedback__transaction").order_by(
        "added_at"
    )
    complaints = [
        {"feedback": item.feedback, "text": masked_words(item.feedback)} for item in evidence
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "complaints": complaints,
            "actions": case.actions.select_related("author").order_by("taken_on", "pk"),
            "events": case.events.select_related("actor").order_by("at", "pk")
            if can_read_case_trail(request.user)
            else None,
            "can_act": can_act_on_cases(request.user),
            "action_form": ActionForm(),
            "move_form": MoveForm(),
            "now": timezone.now(),
        },
    )


def _acting_case(request: HttpRequest, pk: int) -> Case:
    case = _case_for(request, pk)  # 404 outside the user's scope
    if not can_act_on_cases(request.user):
        raise PermissionDenied
    return case


@requires("cases:add-action")
@require_POST
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = _acting_case(request, pk)
    form = ActionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_action(
                case=case,
                author=request.user,
                kind=form.cleaned_data["kind"],
                taken_on=form.cleaned_data["taken_on"],
                note=form.cleaned_data["note"],
                attachment=form.cleaned_data["attachment"],
            )
            messages.success(request, _("Action recorded."))
        except services.CaseError as problem:
            messages.error(request, str(problem))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect("cases:detail", pk=case.pk)


@requires("cases:move")
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    case = _acting_case(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_case(
                case=case,
                actor=request.user,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Case updated."))
        except services.CaseError as problem:
            messages.error(request, str(problem))
    return redirect("cases:detail", pk=case.pk)


@login_required
def official(request: HttpRequest, pk: int) -> HttpResponse:
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
@require_POST
def open_by_hand(request: HttpRequest, feedback_pk: int) -> HttpResponse:
    """A reviewer opens a case from a feedback the classifier did not count as this
    complaint."""
    if not can_review_feedback(request.user):
        raise PermissionDenied
    feedback = get_object_or_404(feedback_visible_to(request.user), pk=feedback_pk)
    try:
        case = services.open_case_by_hand(
            feedback=feedback, kind=request.POST.get("kind", ""), actor=request.user
        )
    except services.CaseError as problem:
        messages.error(request, str(problem))
        return redirect("feedback-list")
    return redirect("cases:detail", pk=case.pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An action's attachment, for those who may see its case (never a public URL)."""
    action = get_object_or_404(
        Action.objects.filter(case__in=cases_visible_to(request.user)).exclude(attachment=""),
        pk=pk,
    )
    return FileResponse(action.attachment.open("rb"), as_attachment=True)
