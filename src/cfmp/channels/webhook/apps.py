from django.apps import AppConfig


class WebhookConfig(AppConfig):
    name = "cfmp.channels.webhook"
    label = "channels_webhook"
    verbose_name = "JSON webhook for SMS aggregators"
