from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cfmp.accounts.models import Role
from cfmp.accounts.scopes import can_call_citizens, can_review_feedback, effective_role
from cfmp.cases.selectors import can_see_cases
from cfmp.intake.selectors import can_submit_transactions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "can_submit": can_submit_transactions(user),
        "can_review": can_review_feedback(user),
        "can_call": can_call_citizens(user),
        "can_see_cases": can_see_cases(user),
        "can_command_centre": effective_role(user) in (Role.SECRETARIAT, Role.AUDITOR),
        "demo": settings.CFMP_DEMO,
    }
