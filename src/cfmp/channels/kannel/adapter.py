"""SMS through Kannel, the open-source gateway operators and aggregators run: smsbox's HTTP
`sendsms` interface, with delivery reports posted back to CFMP.

Each message asks for its final delivery report (dlr-mask 19) at a `dlr-url` that names the
attempt and carries an HMAC of it, so a forged report for an attempt is refused, and a
report still lands if the worker died before recording the submission. Text in GSM's 7-bit
alphabet goes as coding=0, anything else (Urdu) as UCS-2 (coding=2), from UTF-8
(`cfmp.outreach.segments`); smsbox splits a long text into concatenated parts.
"""

from __future__ import annotations

import functools
import http.client
import threading
import time
import urllib.parse

from django.conf import settings
from django.urls import reverse

from cfmp.channels.base import Accepted, ChannelError, DeliveryReport, OutboundMessage, own_setting
from cfmp.core import keys
from cfmp.outreach import segments

# Delivered, undeliverable, rejected by the SMSC. Not "buffered" (4) nor "submitted to the
# SMSC" (8): Kannel's own "0: Accepted" already moves an attempt to submitted, and each
# report asked for is one more callback per message at gateway speed.
DLR_MASK = 1 | 2 | 16  # DELIVERED | UNDELIVERABLE | REJECTED
# Kannel's report types (the dlr-mask bits), and what each says of an attempt.
DELIVERED, UNDELIVERABLE, BUFFERED, SUBMITTED, REJECTED = 1, 2, 4, 8, 16
REPORTS = {
    DELIVERED: DeliveryReport("delivered"),
    SUBMITTED: DeliveryReport("submitted"),
    UNDELIVERABLE: DeliveryReport("failed", "undeliverable", retryable=True),
    REJECTED: DeliveryReport("failed", "rejected by the SMSC"),
}


def parse_report(kind: int) -> DeliveryReport | None:
    """A Kannel report type in CFMP's terms; None for one that changes nothing (buffered)."""
    return REPORTS.get(kind)


# A connection idle longer than this is not reused: the gateway may have closed it, and a
# request on a closed connection would fail (and be retried later as a new attempt).
KEEP_ALIVE_SECONDS = 2.0


SIGNATURE_LENGTH = 32  # hex digits: the URL stays short


def attempt_signature(attempt_id: int) -> str:
    """Signed with the delivery-report key (CFMP_DLR_KEYS; rotatable, see cfmp.core.keys)."""
    return keys.sign("dlr", f"attempt:{attempt_id}")[:SIGNATURE_LENGTH]


def signature_is_valid(attempt_id: int, signature: str) -> bool:
    """Any current or previous delivery-report key (a URL handed to Kannel before a
    rotation still verifies during the overlap)."""
    return keys.verify("dlr", f"attempt:{attempt_id}", signature, length=SIGNATURE_LENGTH)


def delivery_report_url(attempt_id: int) -> str:
    # %d is Kannel's placeholder for the report type; the rest is ours.
    query = urllib.parse.urlencode({"attempt": attempt_id, "sig": attempt_signature(attempt_id)})
    base = own_setting("CFMP_DLR_BASE_URL") or settings.CFMP_PUBLIC_URL
    return f"{base.rstrip('/')}{_report_path()}?{query}&type=%d"


@functools.cache
def _report_path() -> str:
    return reverse("kannel-dlr")


class KannelChannel:
    name = "kannel"
    parallel = True

    def __init__(
        self, *, sendsms_url: str, username: str, password: str, sender: str, timeout: float = 10.0
    ) -> None:
        self.sendsms_url = sendsms_url
        self.username = username
        self.password = password
        self.sender = sender
        self.timeout = timeout
        self._local = threading.local()  # one kept-alive connection per sending thread

    @classmethod
    def from_settings(cls) -> KannelChannel:
        return cls(
            sendsms_url=own_setting("CFMP_KANNEL_SENDSMS_URL"),
            username=own_setting("CFMP_KANNEL_USERNAME"),
            password=own_setting("CFMP_KANNEL_PASSWORD"),
            sender=settings.CFMP_SMS_SENDER,
        )

    def request_url(self, message: OutboundMessage) -> str:
        params = {
            "username": self.username,
            "password": self.password,
            "from": self.sender,
            "to": message.to,
            "text": message.text,
            "charset": "UTF-8",
            # Long texts are split and reassembled on the phone (smsbox's `concatenation`
            # and `max-messages`, as `cfmp kannel-config` writes them).
            "coding": "0" if segments.encoding_of(message.text) == segments.GSM7 else "2",
        }
        if message.attempt_id is not None:
            params["dlr-mask"] = str(DLR_MASK)
            params["dlr-url"] = delivery_report_url(message.attempt_id)
        return f"{self.sendsms_url}?{urllib.parse.urlencode(params)}"

    def send(self, message: OutboundMessage) -> Accepted:
        status, body = self._get(self.request_url(message))
        if status >= 400:
            # Kannel answers 4xx for a request it will never accept (bad number, auth),
            # 5xx/503 when it cannot take messages now.
            raise ChannelError(f"Kannel refused: {status} {body}", retryable=status >= 500)
        if not body.startswith(("0:", "3:")):  # "0: Accepted for delivery", "3: Queued"
            raise ChannelError(f"Kannel did not accept: {body}", retryable=True)
        return Accepted(gateway_id=f"kannel:{message.attempt_id or 'service'}")

    def _get(self, url: str) -> tuple[int, str]:
        """One request on this thread's kept-alive connection to smsbox. A connection per
        message would overflow smsbox's short accept queue at a few hundred a second (each
        overflow costs the sender a one-second SYN retry)."""
        parts = urllib.parse.urlsplit(url)
        connection = self._connection(parts.hostname or "127.0.0.1", parts.port or 80)
        try:
            if connection.sock is None:
                connection.connect()
        except OSError as error:  # refused, unreachable, no such host: nothing was sent
            self._drop_connection()
            raise ChannelError(f"Kannel unreachable: {error!r}", retryable=True) from error
        try:
            connection.request("GET", f"{parts.path}?{parts.query}")
            reply = connection.getresponse()
            body = reply.read().decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException) as error:
            # The request may have been taken before the answer was lost (smsbox stopping):
            # sending it again could ask the citizen twice.
            self._drop_connection()
            raise ChannelError(
                f"Kannel's answer lost: {error!r}", retryable=False, unknown=True
            ) from error
        self._local.used_at = time.monotonic()
        if reply.will_close:
            self._drop_connection()
        return reply.status, body

    def _connection(self, host: str, port: int) -> http.client.HTTPConnection:
        local = self._local
        stale = time.monotonic() - getattr(local, "used_at", 0.0) > KEEP_ALIVE_SECONDS
        if getattr(local, "connection", None) is None or stale:
            self._drop_connection()
            local.connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        connection: http.client.HTTPConnection = local.connection
        return connection

    def _drop_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None
