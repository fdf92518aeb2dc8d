"""Kannel's configuration for CFMP, written by `cfmp kannel-config` and started by CFMP's own
tests, so that what is tested is what operators run (README.md in this folder).

What matters for CFMP, beyond connecting to the operator:
- sendsms-user `max-messages` and `concatenation`: without them smsbox sends only the first
  part of a long text (70 characters of Urdu), silently.
- smsbox `http-request-retry` and `http-queue-delay`: without them a delivery report (or a
  citizen's reply) that finds CFMP's receiver restarting is dropped for good.
- CFMP asks for the delivery reports it needs itself (dlr-mask and dlr-url on each request).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")

CORE = """\
group = core
admin-port = {admin_port}
admin-password = {admin_password}
admin-allow-ip = 127.0.0.1
smsbox-port = {smsbox_port}
box-allow-ip = 127.0.0.1
log-level = {log_level}
log-file = "{log_dir}/bearerbox.log"
access-log = "{log_dir}/access.log"
# Messages queued in bearerbox survive its restart. Delivery reports still awaited are kept
# by dlr-storage: "internal" loses them on a restart (CFMP then counts those messages "sent,
# no report" after CFMP_REPORT_WAIT_HOURS); use mysql, pgsql or redis where your Kannel
# build has it.
store-type = file
store-location = "{store_dir}/store"
dlr-storage = internal
"""

SMPP_SMSC = """\
# The operator's SMSC over SMPP 3.4: host, port and credentials are the operator's.
group = smsc
smsc = smpp
smsc-id = operator
host = {smsc_host}
port = {smsc_port}
transceiver-mode = true
system-type = ""
smsc-username = "{smsc_username}"
smsc-password = "{smsc_password}"
source-addr-ton = 0
source-addr-npi = 1
dest-addr-ton = 1
dest-addr-npi = 1
# Urdu is sent as UCS-2; the SMSC's default alphabet for 7-bit text.
alt-charset = "GSM"
msg-id-type = 0x01
reconnect-delay = 10
"""

FAKE_SMSC = """\
# Kannel's fake SMSC (for tests and trials): /usr/lib/kannel/test/fakesmsc connects here
# and prints every message it is given.
group = smsc
smsc = fake
smsc-id = {smsc_id}
port = {smsc_port}
connect-allow-ip = 127.0.0.1
"""

SMSBOX = """\
group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox_port}
sendsms-port = {sendsms_port}
mo-recode = true
log-level = {log_level}
log-file = "{log_dir}/smsbox.log"
access-log = "{log_dir}/smsbox-access.log"
# A delivery report or reply that CFMP does not take (restarting, database busy) is tried
# again every {retry_delay} s, {retries} times ({retry_window} s in all).
http-request-retry = {retries}
http-queue-delay = {retry_delay}

group = sendsms-user
username = {username}
password = {password}
# Where CFMP's workers send from (comma-separated; "*.*.*.*" for anywhere, behind a firewall).
user-allow-ip = "{allow_ip}"
# A long text goes as up to {max_parts} concatenated parts (CFMP_SMS_GATEWAY_MAX_PARTS);
# Kannel's default of one part would cut every Urdu survey to its first 70 characters.
concatenation = true
max-messages = {max_parts}
"""

INBOUND_SERVICE = """\
# Citizens' SMS to the short code, handed to CFMP as they arrive (never answered by Kannel).
# The key (CFMP_INBOUND_SMS_KEYS) travels as the URL's credentials: Kannel sends them as
# HTTP Basic authentication, so no query string (and no access log) carries it.
group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "{get_url}?id=%I&from=%p&to=%P&text=%b&charset=%C&coding=%c&time=%T"
"""


@dataclass
class KannelConfig:
    username: str = "cfmp"
    password: str = "change-me"
    allow_ip: str = "127.0.0.1"
    inbound_url: str = ""
    inbound_key: str = ""  # CFMP's key for inbound SMS, sent as Basic credentials
    smsc: str = "smpp"  # "smpp" (an operator's SMSC) or "fake" (tests, trials)
    smsc_host: str = "smsc.operator.example"
    smsc_port: int = 2775
    smsc_username: str = "cfmp"
    smsc_password: str = "change-me"
    # Further fake SMSCs, by id and port (tests inject citizens' replies through one).
    extra_fake_smscs: dict[str, int] = field(default_factory=dict)
    admin_port: int = 13000
    admin_password: str = "change-me"
    smsbox_port: int = 13001
    sendsms_port: int = 13013
    log_dir: str = "/var/log/kannel"
    store_dir: str = "/var/spool/kannel"
    log_level: int = 1
    max_parts: int = 10
    retries: int = 30
    retry_delay: int = 10

    def render(self) -> str:
        values = {**self.__dict__, "retry_window": self.retries * self.retry_delay}
        parts = [CORE.format(**values)]
        if self.smsc == "fake":
            parts.append(FAKE_SMSC.format(smsc_id="operator", smsc_port=self.smsc_port))
        else:
            parts.append(SMPP_SMSC.format(**values))
        for smsc_id, port in self.extra_fake_smscs.items():
            group = FAKE_SMSC.format(smsc_id=smsc_id, smsc_port=port)
            # Only what arrives through it: no outbound message is routed to such an SMSC.
            parts.append(group + f"allowed-smsc-id = {smsc_id}\n")
        parts.append(SMSBOX.format(**values))
        if self.inbound_url:
            parts.append(INBOUND_SERVICE.format(get_url=self._get_url()))
        return "\n".join(parts)

    def _get_url(self) -> str:
        if not self.inbound_key:
            return self.inbound_url
        if not URL_SAFE.fullmatch(self.inbound_key):
            # Kannel sends the URL's credentials as they are written: no escaping survives.
            raise ValueError(
                "the inbound SMS key must be letters, digits and - . _ ~ only "
                "(set CFMP_INBOUND_SMS_KEYS to such a key)"
            )
        scheme, _, rest = self.inbound_url.partition("://")
        return f"{scheme}://kannel:{self.inbound_key}@{rest}"
