from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cfmp.accounts.scopes import (
    can_call_citizens,
    can_review_feedback,
    can_see_cases,
    can_submit_transactions,
    can_use_command_centre,
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "can_submit": can_submit_transactions(user),
        "can_review": can_review_feedback(user),
        "can_call": can_call_citizens(user),
        "can_see_cases": can_see_cases(user),
        "can_command_centre": can_use_command_centre(user),
        "demo": settings.CFMP_DEMO,
    }
