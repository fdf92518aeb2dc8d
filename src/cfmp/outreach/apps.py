from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "cfmp.outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from cfmp.outreach import checks  # noqa: F401  (registers the deployment checks)
