from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cfmp.registry"
    label = "registry"
    verbose_name = "Registry"
