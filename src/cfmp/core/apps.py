from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cfmp.core"
    label = "core"
    verbose_name = "CFMP"

    def ready(self) -> None:
        from cfmp.core import checks  # noqa: F401  (registers the system checks)
