from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "cfmp.channels.simulator"
    label = "channels_simulator"
    verbose_name = "Citizen simulator"
