from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cfmp.reports"
    verbose_name = "Reports"
