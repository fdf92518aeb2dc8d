from django.apps import AppConfig


class KannelConfig(AppConfig):
    name = "cfmp.channels.kannel"
    label = "channels_kannel"
    verbose_name = "Kannel SMS gateway"
