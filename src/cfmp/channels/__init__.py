"""Channels: how CFMP reaches citizens and how their gateways call back. One package per
channel type (`cfmp.channels.<type>`), registered in CFMP_CHANNEL_TYPES; `base` is the
interface and `registry` the one door to the types (docs/channels.md)."""
