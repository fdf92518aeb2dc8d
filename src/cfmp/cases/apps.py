from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cfmp.cases"
    verbose_name = "Cases and actions"
