"""A real Kannel on loopback for tests: bearerbox with a fake SMSC, fakesmsc playing the
operator's SMSC (it prints every message it receives), and smsbox serving `sendsms`, all
configured by the same `KannelConfig` that `cfmp kannel-config` prints for operators."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from cfmp.channels.kannel.config import KannelConfig
from tests.system import require_binary

FAKESMSC = "/usr/lib/kannel/test/fakesmsc"


def _bytes(field: str) -> bytes:
    # fakesmsc prints payloads URL-encoded, with "+" for a 0x20 byte.
    return urllib.parse.unquote_to_bytes(field.replace("+", "%20"))


def _decode(kind: str, raw: bytes) -> str:
    if kind in ("ucs-2", "ucs2"):
        return raw.decode("utf-16-be")
    return raw.decode("utf-8")  # smsbox hands 7-bit text to its fake SMSC as UTF-8


def _guess(raw: bytes) -> str:
    """A concatenated message's parts say "data" whatever their coding: UCS-2 text has NUL
    or C0 control bytes (the high byte of Latin or Arabic characters); UTF-8 text has none."""
    if len(raw) % 2 == 0 and any(b < 0x20 and b not in (0x0A, 0x0D) for b in raw):
        return "ucs-2"
    return "text"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 60) -> None:
    # A process that loads Django takes seconds on a loaded two-core machine (CI shares it
    # with whatever else the machine does).
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
    ports: dict[str, int] = field(default_factory=dict)
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
        """(sender, receiver, text) of every message the fake SMSC has received, each long
        message reassembled from its concatenated parts (by its header's reference)."""
        messages: list[tuple[str, str, str]] = []
        pending: dict[tuple[str, str, int], dict[int, bytes]] = {}
        for line in (self.directory / "fakesmsc.out").read_text(errors="replace").splitlines():
            if "Got message" not in line:
                continue
            fields = line.split("<", 1)[1].rstrip(">").split(" ")
            sender, receiver, kind = fields[:3]
            if kind != "udh":
                messages.append((sender, receiver, _decode(kind, _bytes(fields[3]))))
                continue
            # "udh <header> data <payload>": parts of a concatenated message
            header, payload = _bytes(fields[3]), _bytes(fields[5])
            reference, total, number = header[3], header[4], header[5]
            parts = pending.setdefault((sender, receiver, reference), {})
            parts[number] = payload
            if len(parts) == total:
                whole = b"".join(parts[n] for n in sorted(parts))
                messages.append((sender, receiver, _decode(_guess(whole), whole)))
                del pending[(sender, receiver, reference)]
        return messages

    def stop_gateway(self) -> None:
        """bearerbox stopped (an operator's restart, a crash): smsbox and the operator's
        link go with it, and sendsms refuses connections."""
        self.stop()
        self.processes.clear()

    def start_gateway(self) -> None:
        self.processes.extend(_start_boxes(self.directory, self.ports))

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_kannel(
    directory: Path,
    *,
    inbound_url: str = "",
    secret: str = "",
    retries: int = 30,
    retry_delay: int = 2,
) -> Kannel:
    """Kannel on free ports; with `inbound_url`, citizens' replies are passed to it (get-url)."""
    require_binary("bearerbox")
    require_binary("smsbox")
    if not Path(FAKESMSC).exists():
        require_binary("fakesmsc")  # skips (fails in CI) naming make system-deps
    ports = {name: free_port() for name in ("admin", "boxc", "smsc", "mo", "sendsms")}
    config = directory / "kannel.conf"
    config.write_text(
        KannelConfig(
            username="cfmp",
            password="test-password",
            inbound_url=inbound_url,
            inbound_key=secret,
            smsc="fake",
            smsc_port=ports["smsc"],
            extra_fake_smscs={"mo": ports["mo"]},
            admin_port=ports["admin"],
            admin_password="test",
            smsbox_port=ports["boxc"],
            sendsms_port=ports["sendsms"],
            log_dir=str(directory),
            store_dir=str(directory),
            retries=retries,
            retry_delay=retry_delay,
        ).render()
    )
    kannel = Kannel(
        directory,
        f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms",
        mo_port=ports["mo"],
        ports=ports,
    )
    kannel.start_gateway()
    return kannel


def _start_boxes(directory: Path, ports: dict[str, int]) -> list[subprocess.Popen]:
    config = directory / "kannel.conf"
    out = (directory / "fakesmsc.out").open("a")  # a restart appends to what was received
    processes = [
        subprocess.Popen(
            [require_binary("bearerbox"), str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    wait_for_port(ports["smsc"])
    processes.append(
        subprocess.Popen(
            [FAKESMSC, "-H", "127.0.0.1", "-r", str(ports["smsc"]), "-m", "0", "1 2 text x"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    )
    processes.append(
        subprocess.Popen(
            [require_binary("smsbox"), str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    wait_for_port(ports["sendsms"])
    return processes
