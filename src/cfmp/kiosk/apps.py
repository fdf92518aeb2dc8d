from typing import Any

from django.apps import AppConfig


def _replay_visit(item: str, payload: Any) -> None:
    from cfmp.kiosk.api import replay_visit

    replay_visit(item, payload)


class KioskConfig(AppConfig):
    name = "cfmp.kiosk"
    verbose_name = "Kiosks"

    def ready(self) -> None:
        from cfmp.core import quarantine
        from cfmp.core.models import Pipeline

        quarantine.register_replayer(Pipeline.KIOSK_VISITS, _replay_visit)
