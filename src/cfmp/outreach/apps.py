from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "cfmp.outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from cfmp.core import quarantine
        from cfmp.core.models import Pipeline
        from cfmp.outreach import checks  # noqa: F401  (registers the deployment checks)
        from cfmp.outreach.voice.results import replay_call_result

        quarantine.register_replayer(Pipeline.CALL_RESULTS, replay_call_result)
