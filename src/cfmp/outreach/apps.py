from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "cfmp.outreach"
    label = "outreach"
    verbose_name = "Outreach"
