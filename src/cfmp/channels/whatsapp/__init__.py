"""WhatsApp, through Meta's WhatsApp Business Cloud API: the text survey sent as an approved
template message (or, inside the 24-hour customer-service window, as a message with two
reply buttons), citizens' replies and message statuses received at one signed webhook.

It carries the "sms" outreach channel (CFMP_SMS_CHANNEL=whatsapp): the plan's text survey
goes by WhatsApp instead of SMS. Everything it is lives in this folder (README.md)."""
