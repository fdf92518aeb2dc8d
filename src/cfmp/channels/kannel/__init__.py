"""Kannel, the open-source SMS gateway operators and aggregators run: the adapter that sends
through smsbox's `sendsms` (`adapter`), the delivery reports it posts back (`reports`,
served by the Django view, the bare WSGI app `wsgi` or the asyncio server `dlr_server`),
inbound SMS from its `get-url` (`views`), the configuration CFMP tests against and prints
(`config`, `cfmp kannel-config`). Operators' guide: README.md in this folder."""
