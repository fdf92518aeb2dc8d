"""`cfmp kannel-config`: print a complete Kannel configuration for this CFMP (the one its
tests run), to save as /etc/kannel/kannel.conf and adapt (cfmp/channels/kannel/README.md)."""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from cfmp.channels.base import own_setting
from cfmp.channels.kannel.config import KannelConfig
from cfmp.core import keys


class Command(BaseCommand):
    help = (
        "Print a Kannel configuration (bearerbox, smsbox, sendsms user, inbound service) "
        "matching CFMP's settings: SMPP to the operator's SMSC, or Kannel's fake SMSC."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--smsc", choices=["smpp", "fake"], default="smpp")
        parser.add_argument("--smsc-host", default="smsc.operator.example")
        parser.add_argument("--smsc-port", type=int, default=2775)
        parser.add_argument("--smsc-username", default="cfmp")
        parser.add_argument("--smsc-password", default="change-me")
        parser.add_argument("--admin-password", default="change-me")
        parser.add_argument(
            "--allow-ip", default="127.0.0.1", help="Addresses CFMP's workers send from."
        )
        parser.add_argument("--log-dir", default="/var/log/kannel")
        parser.add_argument("--store-dir", default="/var/spool/kannel")
        parser.add_argument("--retries", type=int, default=30)
        parser.add_argument("--retry-delay", type=int, default=10, help="Seconds.")

    def handle(self, *args: object, **options: object) -> None:
        sendsms = urllib.parse.urlsplit(own_setting("CFMP_KANNEL_SENDSMS_URL"))
        inbound = f"{settings.CFMP_PUBLIC_URL.rstrip('/')}{reverse('kannel-inbound')}"
        config = KannelConfig(
            username=own_setting("CFMP_KANNEL_USERNAME"),
            password=own_setting("CFMP_KANNEL_PASSWORD") or "change-me",
            allow_ip=str(options["allow_ip"]),
            inbound_url=inbound,
            inbound_key=keys.current_key("inbound_sms"),
            smsc=str(options["smsc"]),
            smsc_host=str(options["smsc_host"]),
            smsc_port=int(str(options["smsc_port"])),
            smsc_username=str(options["smsc_username"]),
            smsc_password=str(options["smsc_password"]),
            admin_password=str(options["admin_password"]),
            sendsms_port=sendsms.port or 13013,
            log_dir=str(options["log_dir"]),
            store_dir=str(options["store_dir"]),
            max_parts=settings.CFMP_SMS_GATEWAY_MAX_PARTS,
            retries=int(str(options["retries"])),
            retry_delay=int(str(options["retry_delay"])),
        )
        self.stdout.write(config.render())
