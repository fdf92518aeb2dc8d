"""The generic JSON webhook for SMS aggregators: inbound SMS only, one message or a batch,
signed with X-CFMP-Signature (`auth`). It sends nothing: replies go out through the SMS
gateway configured (CFMP_SMS_CHANNEL)."""
