"""A real Kannel on loopback for tests: bearerbox with a fake SMSC, fakesmsc playing the
operator's SMSC (it prints every message it receives), and smsbox serving `sendsms`."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.system import require_binary

FAKESMSC = "/usr/lib/kannel/test/fakesmsc"

CONFIG = """
group = core
admin-port = {admin}
admin-password = test
smsbox-port = {boxc}
log-level = 1
log-file = "{dir}/bearerbox.log"
box-allow-ip = 127.0.0.1
admin-allow-ip = 127.0.0.1
dlr-storage = internal
store-type = file
store-location = "{dir}/store"

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

# Citizens' replies come in on a second fake SMSC, so sending one never disturbs the
# fakesmsc that receives CFMP's messages; no outbound message is routed to it.
group = smsc
smsc = fake
smsc-id = mo
allowed-smsc-id = mo
port = {mo}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
mo-recode = true
bearerbox-port = {boxc}
sendsms-port = {sendsms}
log-level = 1
log-file = "{dir}/smsbox.log"

group = sendsms-user
username = cfmp
password = test-password
max-messages = 1
"""

INBOUND_SERVICE = """
group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "{url}?secret={secret}&id=%I&from=%p&to=%P&text=%b&charset=%C&coding=%c&time=%T"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@dataclass
class Kannel:
    directory: Path
    sendsms_url: str
    username: str = "cfmp"
    password: str = "test-password"
    mo_port: int = 0
    processes: list[subprocess.Popen] = field(default_factory=list)

    def send_mo(self, sender: str, text: str, *, receiver: str = "8070") -> None:
        """A citizen's SMS to CFMP's short code, through the second fake SMSC."""
        if text.isascii():
            kind, payload = "text", text
        else:
            kind, payload = "ucs2", urllib.parse.quote(text.encode("utf-16-be"))
        # fakesmsc stays connected after sending; it is stopped once it reports the send.
        process = subprocess.Popen(
            [
                FAKESMSC,
                "-H",
                "127.0.0.1",
                "-r",
                str(self.mo_port),
                "-i",
                "0.1",
                "-m",
                "1",
                f"{sender} {receiver} {kind} {payload}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if "sent message 1" in line:
                    break
            # Closing at once could reset the connection before bearerbox has read the
            # message (a reset discards what the peer has not read yet).
            time.sleep(1.0)
        finally:
            process.terminate()
            process.wait(timeout=10)

    def received(self) -> list[tuple[str, str, str]]:
        """(sender, receiver, text) of every message the fake SMSC has received."""
        messages = []
        for line in (self.directory / "fakesmsc.out").read_text(errors="replace").splitlines():
            if "Got message" not in line:
                continue
            sender, receiver, kind, data = line.split("<", 1)[1].rstrip(">").split(" ", 3)
            # fakesmsc prints the payload URL-encoded, with "+" for a 0x20 byte.
            raw = urllib.parse.unquote_to_bytes(data.replace("+", "%20"))
            text = raw.decode("utf-16-be") if kind == "ucs-2" else raw.decode("latin-1")
            messages.append((sender, receiver, text))
        return messages

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_kannel(directory: Path, *, inbound_url: str = "", secret: str = "") -> Kannel:
    """Kannel on free ports; with `inbound_url`, citizens' replies are passed to it (get-url)."""
    bearerbox = require_binary("bearerbox")
    smsbox = require_binary("smsbox")
    if not Path(FAKESMSC).exists():
        require_binary("fakesmsc")  # skips (fails in CI) naming make system-deps
    ports = {name: free_port() for name in ("admin", "boxc", "smsc", "mo", "sendsms")}
    config = directory / "kannel.conf"
    text = CONFIG.format(dir=directory, **ports)
    if inbound_url:
        text += INBOUND_SERVICE.format(url=inbound_url, secret=secret)
    config.write_text(text)
    kannel = Kannel(
        directory, f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms", mo_port=ports["mo"]
    )
    out = (directory / "fakesmsc.out").open("w")
    kannel.processes.append(
        subprocess.Popen(
            [bearerbox, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    )
    wait_for_port(ports["smsc"])
    kannel.processes.append(
        subprocess.Popen(
            [FAKESMSC, "-H", "127.0.0.1", "-r", str(ports["smsc"]), "-m", "0", "1 2 text x"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    )
    kannel.processes.append(
        subprocess.Popen(
            [smsbox, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    )
    wait_for_port(ports["sendsms"])
    return kannel
