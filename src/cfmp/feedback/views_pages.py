from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfmp.accounts.models import IdentityView
from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_review_feedback, can_view_citizen_identity
from cfmp.accounts.services import record_identity_view
from cfmp.core.http import SignedInRequest
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.core.once import already_done, posted_token
from cfmp.core.selectors import spent_form_token
from cfmp.core.services import AlreadySubmitted, NotAFormToken, write_once
from cfmp.feedback import services
from cfmp.feedback.anonymity import held_notice, rows_for
from cfmp.feedback.lists import (
    REVIEW_COLUMNS,
    ReviewFilters,
    columns_for,
    filters_for,
    without_held,
)
from cfmp.feedback.models import Category, Feedback
from cfmp.feedback.privacy import mask_text, official_names_by_office
from cfmp.feedback.selectors import feedback_visible_to, review_queue


@login_required
def feedback_list(request: SignedInRequest) -> HttpResponse:
    """Classified replies in the user's scope, paged, searched, filtered, sorted and
    exported (`cfmp.feedback.lists`). Officials read the words with numbers and the
    citizen's name masked, and never the sender; identity roles see them whole."""
    user = request.user
    rows = without_held(feedback_visible_to(user), user=user).select_related(
        "message",
        "call",
        "transaction__service",
        "transaction__office",
        "transaction__official",
        "office",
        "service",
        "case_evidence",
    )
    columns, default_sort, tie = columns_for(user)
    listing = Listing(request, rows, filterset=filters_for(user), columns=columns,
                      default_sort=default_sort, tie=tie)  # fmt: skip
    identity = can_view_citizen_identity(user)
    if listing.export_format:
        return _export(request, listing, identity=identity)
    page = listing.page()
    shown = list(page)
    items = [
        {
            "row": row,
            "feedback": row.feedback,
            "text": _readable(row.feedback, row.text),
            "sender": _sender(row.feedback) if identity else "",
        }
        for row in rows_for(shown, user=user)
    ]
    record_identity_view(
        user=user,
        purpose=IdentityView.Purpose.FEEDBACK,
        subject="feedback.feedback",
        object_ids=[item.pk for item in shown],
        request=request,
    )
    return render(
        request,
        "feedback/list.html",
        {
            "items": items,
            "listing": listing,
            "page": page,
            "held_notice": "" if identity else held_notice(),
        },
    )


def _export(request: SignedInRequest, listing: Listing, *, identity: bool) -> HttpResponse:
    """The list as filtered and sorted, each row as the reader sees it on the page."""
    exported: list[int] = []

    def convert(chunk: list) -> list[list]:
        out = []
        for row in rows_for(chunk, user=request.user):
            item = row.feedback
            exported.append(item.pk)
            text = "" if row.withheld else _readable(item, row.text)
            out.append(
                [row.period.label, item.get_category_display(), item.bribe_amount, text,
                 _sender(item) if identity else "", row.service, row.office, row.official]
            )  # fmt: skip
        return out

    rows = list(export_rows(listing.queryset, convert))
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.LIST_EXPORT,
        subject="feedback.feedback",
        object_ids=exported,
        request=request,
    )
    headers = [_("Received"), _("Category"), _("Amount (Rs)"), _("Reply"), _("Sender"),
               _("Service"), _("Office"), _("Official")]  # fmt: skip
    return export_response(name="feedback", fmt=listing.export_format or "csv",
                           headers=headers, rows=rows)  # fmt: skip


def _sender(item) -> str:
    if item.message is not None:
        return item.message.sender
    return item.call.mobile if item.call is not None else ""


def _readable(item, text: str) -> str:
    """What to show of a reply: its words (whole, or masked), or the key pressed."""
    if item.keypad_digit:
        return _("pressed %(digit)s on the robocall") % {"digit": item.keypad_digit}
    return text


def _warn_if_identifying(request: SignedInRequest, feedback: Feedback, reason: str) -> None:
    """Warn the reviewer (never refuse) when their reason names someone or holds a number:
    auditors and officers read it masked in the case trail (as case notes, issue 20)."""
    if not reason:
        return
    office = feedback.transaction.office_id if feedback.transaction else feedback.office_id
    names = official_names_by_office([office]).get(office or 0, [])
    if feedback.transaction:
        names.append(feedback.transaction.citizen_name)
    if mask_text(reason, names=names) != reason:
        messages.warning(
            request,
            _(
                "What you wrote seems to name a person or hold a phone or CNIC number: "
                "officers below the secretariat will read it masked. Describe the complaint "
                "without saying who made it."
            ),
        )


@login_required
def review(request: SignedInRequest) -> HttpResponse:
    if not can_review_feedback(request.user):
        raise PermissionDenied
    pending = review_queue(request.user)
    listing = Listing(request, pending, filterset=ReviewFilters, columns=REVIEW_COLUMNS,
                      default_sort="received", tie=("pk",))  # fmt: skip
    if listing.export_format:
        return _export_review(request, listing)
    page = listing.page()
    items = list(page)
    record_identity_view(
        user=request.user,
        purpose=IdentityView.Purpose.REVIEW,
        subject="feedback.feedback",
        object_ids=[item.pk for item in items],
        request=request,
    )
    return render(
        request,
        "feedback/review.html",
        {
            "items": items,
            "page": page,
            "listing": listing,
            "count": pending.count(),
            "categories": Category.choices,
        },
    )


def _export_review(request: SignedInRequest, listing: Listing) -> HttpResponse:
    exported: list[int] = []

    def convert(chunk: list) -> list[list]:
        exported.extend(item.pk for item in chunk)
        return [
            [item.created_at, _readable(item, (item.message.text if item.message else item.note)),
             _about(item), item.get_category_display(), round(item.confidence, 2)]
            for item in chunk
        ]  # fmt: skip

    rows = list(export_rows(listing.queryset, convert))
    record_identity_view(user=request.user, purpose=IdentityView.Purpose.LIST_EXPORT,
                         subject="feedback.feedback", object_ids=exported,
                         request=request)  # fmt: skip
    return export_response(name="review-queue", fmt=listing.export_format or "csv",
                           headers=[_("Received"), _("Reply"), _("About"), _("Category"),
                                    _("Confidence")], rows=rows)  # fmt: skip


def _about(item) -> str:
    tx = item.transaction
    if tx is not None:
        return f"{tx.service.shown_name} · {tx.office.shown_name}"
    if item.office is not None:
        return f"{item.service.shown_name if item.service else ''} · {item.office.shown_name}"
    return str(_("unsolicited"))


@requires("feedback-review-decide")
@require_POST
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """A reviewer's explicit verdict on one reply (nothing is pre-chosen); a correction is
    recorded with who, from what, to what and why. Sent twice, it counts once."""
    queue = reverse("feedback-review")
    spent = spent_form_token(token=posted_token(request), user=request.user)
    if spent is not None:
        return already_done(request, AlreadySubmitted(spent.outcome_url), fallback=queue)
    feedback = get_object_or_404(review_queue(request.user), pk=pk)
    category = request.POST.get("category", "")
    if category not in Category.values:
        messages.error(request, _("Choose a category."))
        return redirect(queue)

    reason = request.POST.get("reason", "")[:1000]

    def review() -> str:
        services.review_feedback(
            feedback=feedback, reviewer=request.user, category=category, reason=reason
        )
        _warn_if_identifying(request, feedback, reason)
        return queue

    try:
        write_once(token=posted_token(request), user=request.user, purpose="review", write=review)
    except AlreadySubmitted as repeat:
        return already_done(request, repeat, fallback=queue)
    except NotAFormToken:  # a page from before tokens, or a hand-made request
        messages.error(request, _("This page has expired: reload it and decide again."))
    return redirect(queue)
