from cfmp.channels.base import ChannelType

NAME = "webhook"

TYPE = ChannelType(name=NAME, urls="cfmp.channels.webhook.urls")
