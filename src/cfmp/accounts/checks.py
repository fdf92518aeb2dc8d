"""Deployment checks of issue 19 (`cfmp check --deploy`): keys per purpose."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from cfmp.core import keys


@register(Tags.security, deploy=True)
def check_keys_per_purpose(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Each gateway and device door has its own key, so that one leaked key (a Kannel
    configuration file, a kiosk's disk) opens no other door."""
    warnings = []
    for purpose, setting in keys.PURPOSES.items():
        if purpose == "dlr" and settings.CFMP_SMS_CHANNEL != "kannel":
            continue
        if not keys.configured(purpose):
            warnings.append(
                Warning(
                    f"{setting} is not set: the {purpose.replace('_', ' ')} key is derived "
                    "from CFMP_SECRET_KEY"
                    + (
                        " and the old shared CFMP_WEBHOOK_SECRET is still accepted"
                        if purpose in keys.LEGACY_SHARED_SECRET
                        else ""
                    ),
                    hint=f"Set {setting} to a long random value (README, Security settings).",
                    id="cfmp.W190",
                )
            )
    return warnings
