from django.apps import AppConfig


class SipConfig(AppConfig):
    name = "cfmp.channels.sip"
    label = "channels_sip"
    verbose_name = "SIP robocalls"
