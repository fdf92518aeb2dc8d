from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cfmp.cases"
    verbose_name = "Cases and actions"

    def ready(self) -> None:
        from cfmp.cases import checks  # noqa: F401  (registers `cfmp check`'s routing gaps)
