from typing import Any

from django.http import HttpRequest

from cfmp.intake.selectors import can_submit_transactions


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"can_submit": can_submit_transactions(getattr(request, "user", None))}
