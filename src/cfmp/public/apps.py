from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "cfmp.public"
    verbose_name = "Public scorecards"
