from django.apps import AppConfig


class KioskConfig(AppConfig):
    name = "cfmp.kiosk"
    verbose_name = "Kiosks"
