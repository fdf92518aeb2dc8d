"""SMS through Kannel, the open-source gateway operators and aggregators run: smsbox's HTTP
`sendsms` interface, with delivery reports posted back to CFMP.

Each message asks for its final delivery report (dlr-mask 19) at a `dlr-url` that names the
attempt and carries an HMAC of it, so a forged report for an attempt is refused, and a
report still lands if the worker died before recording the submission. Urdu (anything
outside GSM's basic Latin) is sent as UCS-2 (coding=2) from UTF-8.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse

from cfmp.outreach.channels import Accepted, ChannelError, OutboundMessage

# Delivered, undeliverable, rejected by the SMSC. Not "buffered" (4) nor "submitted to the
# SMSC" (8): Kannel's own "0: Accepted" already moves an attempt to submitted, and each
# report asked for is one more callback per message at gateway speed.
DLR_MASK = 1 | 2 | 16


def attempt_signature(attempt_id: int) -> str:
    key = settings.CFMP_WEBHOOK_SECRET.encode()
    return hmac.new(key, f"attempt:{attempt_id}".encode(), hashlib.sha256).hexdigest()[:32]


def signature_is_valid(attempt_id: int, signature: str) -> bool:
    return hmac.compare_digest(attempt_signature(attempt_id), signature)


def delivery_report_url(attempt_id: int) -> str:
    # %d is Kannel's placeholder for the report type; the rest is ours.
    query = urllib.parse.urlencode({"attempt": attempt_id, "sig": attempt_signature(attempt_id)})
    base = settings.CFMP_DLR_BASE_URL or settings.CFMP_PUBLIC_URL
    return f"{base.rstrip('/')}{reverse('kannel-dlr')}?{query}&type=%d"


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

    @classmethod
    def from_settings(cls) -> KannelChannel:
        return cls(
            sendsms_url=settings.CFMP_KANNEL_SENDSMS_URL,
            username=settings.CFMP_KANNEL_USERNAME,
            password=settings.CFMP_KANNEL_PASSWORD,
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
            "coding": "0" if message.text.isascii() else "2",
        }
        if message.attempt_id is not None:
            params["dlr-mask"] = str(DLR_MASK)
            params["dlr-url"] = delivery_report_url(message.attempt_id)
        return f"{self.sendsms_url}?{urllib.parse.urlencode(params)}"

    def send(self, message: OutboundMessage) -> Accepted:
        try:
            with urllib.request.urlopen(self.request_url(message), timeout=self.timeout) as reply:
                body = reply.read().decode("utf-8", "replace").strip()
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace").strip()
            # Kannel answers 4xx for a request it will never accept (bad number, auth),
            # 5xx/503 when it cannot take messages now.
            raise ChannelError(
                f"Kannel refused: {error.code} {body}", retryable=error.code >= 500
            ) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise ChannelError(f"Kannel unreachable: {error}", retryable=True) from error
        if not body.startswith(("0:", "3:")):  # "0: Accepted for delivery", "3: Queued"
            raise ChannelError(f"Kannel did not accept: {body}", retryable=True)
        return Accepted(gateway_id=f"kannel:{message.attempt_id or 'service'}")
