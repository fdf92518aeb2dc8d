from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfmp.accounts.scopes import can_review_feedback
from cfmp.feedback import services
from cfmp.feedback.models import Category
from cfmp.feedback.selectors import review_queue


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not can_review_feedback(request.user):
        raise PermissionDenied
    pending = review_queue(request.user)
    return render(
        request,
        "feedback/review.html",
        {"items": pending[:50], "count": pending.count(), "categories": Category.choices},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(review_queue(request.user), pk=pk)
    category = request.POST.get("category", "")
    if category not in Category.values:
        messages.error(request, _("Choose a category."))
        return redirect("feedback-review")
    services.review_feedback(feedback=feedback, reviewer=request.user, category=category)
    return redirect("feedback-review")
