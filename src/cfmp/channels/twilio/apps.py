from django.apps import AppConfig


class TwilioConfig(AppConfig):
    name = "cfmp.channels.twilio"
    label = "channels_twilio"
    verbose_name = "Twilio-compatible voice"
