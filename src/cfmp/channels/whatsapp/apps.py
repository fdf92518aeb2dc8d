from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "cfmp.channels.whatsapp"
    label = "channels_whatsapp"
    verbose_name = "WhatsApp (Meta's WhatsApp Business Cloud API)"

    def ready(self) -> None:
        from cfmp.channels.whatsapp import checks  # noqa: F401  (registers `cfmp check`'s)
