"""`cfmp serve-delivery-reports [ADDR:PORT]`: Kannel's delivery reports at gateway speed
(see cfmp.channels.kannel.dlr_server). Point Kannel at it with CFMP_DLR_BASE_URL."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cfmp.channels.kannel.dlr_server import serve
from cfmp.core.checks import refuse_insecure_deployment


class Command(BaseCommand):
    help = "Serve Kannel's delivery-report callbacks (only those), written in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8001")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        refuse_insecure_deployment()
        host, _, port = addrport.rpartition(":")
        self.stdout.write(f"serving delivery reports on http://{addrport}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(host or "127.0.0.1", int(port)))
