from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "cfmp.intake"
    label = "intake"
    verbose_name = "Intake"
