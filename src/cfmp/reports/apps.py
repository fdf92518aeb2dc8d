from typing import Any

from django.apps import AppConfig


def _replay_alerts(item: str, payload: Any) -> None:
    from cfmp.reports.alerts import replay_alerts

    replay_alerts(item)


def _replay_digest(item: str, payload: Any) -> None:
    """Both apps' digests share one pipeline; a case digest's item starts "cases:"."""
    from cfmp.cases.digests import replay_case_digest
    from cfmp.reports.digests import replay_digest

    (replay_case_digest if item.startswith("cases:") else replay_digest)(item)


class ReportsConfig(AppConfig):
    name = "cfmp.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from cfmp.accounts.permissions import register_rule
        from cfmp.accounts.scopes import can_acknowledge_alerts
        from cfmp.core import quarantine
        from cfmp.core.models import Pipeline

        register_rule("alerts.acknowledge", can_acknowledge_alerts)
        quarantine.register_replayer(Pipeline.ALERTS, _replay_alerts)
        quarantine.register_replayer(Pipeline.DIGESTS, _replay_digest)
