"""A real SIP peer for robocall tests and the benchmark: SIPp (Debian's sip-tester) as the
citizen's phone on loopback, one scenario per behaviour (tests/channels/sip/sipp), and a UDP
socket standing in for the phone's audio port, so a test can see the RTP prompt arrive."""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCENARIOS = Path(__file__).parent / "sipp"
EVENT_PT = 120  # the telephone-event payload type PJSIP offers
SILENCE = {0xFF, 0x7F, 0xFE, 0x7E, 0xD5, 0x55, 0xD4, 0x54}  # G.711 µ-law and A-law near zero


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_dtmf_pcap(path: Path, digit: str, *, payload_type: int = EVENT_PT) -> None:
    """An RFC 4733 key press (eight 20 ms updates, three end packets) as a pcap SIPp can
    play with play_pcap_audio."""
    event = "0123456789*#".index(digit)

    def packet(seq: int, marker: bool, end: bool, duration: int) -> bytes:
        rtp = struct.pack(">BBHII", 0x80, (0x80 if marker else 0) | payload_type, seq, 16000,
                          0x12345678)  # fmt: skip
        rtp += struct.pack(">BBH", event, (0x80 if end else 0) | 10, duration)
        udp = struct.pack(">HHHH", 6000, 6001, 8 + len(rtp), 0) + rtp
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp  # fmt: skip
        return b"\x00" * 12 + b"\x08\x00" + ip  # Ethernet header

    frames = [(n == 0, False, 160 * (n + 1)) for n in range(8)] + [(False, True, 1440)] * 3
    with path.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, (marker, end, duration) in enumerate(frames):
            data = packet(1000 + min(n, 8), marker, end, duration)  # end packets share seq
            at = 1_000_000.0 + 0.02 * min(n, 8)
            out.write(struct.pack("<IIII", int(at), int((at % 1) * 1e6), len(data), len(data)))
            out.write(data)


@dataclass
class RtpSink:
    """A UDP port the phone's SDP points CFMP's audio to: counts the RTP packets and when
    they came."""

    port: int = 0
    arrivals: list[tuple[float, int]] = field(default_factory=list)  # (time, payload type)
    sound_at: list[float] = field(default_factory=list)  # audio packets that are not silence

    def __post_init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", self.port))
        self.port = self.socket.getsockname()[1]
        self.socket.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        while self.running:
            try:
                data = self.socket.recv(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(data) >= 12:
                now, payload_type = time.monotonic(), data[1] & 0x7F
                self.arrivals.append((now, payload_type))
                if payload_type in (0, 8) and not set(data[12:]) <= SILENCE:
                    self.sound_at.append(now)

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.socket.close()

    def audio_packets(self) -> int:
        return sum(1 for _, pt in self.arrivals if pt in (0, 8))


class SippPhone:
    """`sipp` answering on 127.0.0.1 with one scenario; stopped on exit."""

    def __init__(self, sipp: str, scenario: str, directory: Path, *, rtp_port: int = 0,
                 digit: str = "1", delay_ms: int = 1500, calls: int = 0) -> None:  # fmt: skip
        self.port = free_udp_port()
        pcap = directory / f"dtmf-{digit}.pcap"
        write_dtmf_pcap(pcap, digit)
        text = (SCENARIOS / f"{scenario}.xml").read_text()
        text = text.replace("@RTP_PORT@", str(rtp_port)).replace("@PCAP@", str(pcap))
        path = directory / f"{scenario}-{self.port}.xml"
        path.write_text(text)
        command = [sipp, "-sf", str(path), "-i", "127.0.0.1", "-p", str(self.port),
                   "-mi", "127.0.0.1", "-mp", str(free_udp_port()), "-d", str(delay_ms),
                   "-bg", "-trace_err", "-error_file", str(directory / f"sipp-{self.port}.log")]  # fmt: skip
        if calls:
            command += ["-l", str(calls)]
        started = subprocess.run(command, capture_output=True, text=True, timeout=20, cwd=directory)
        found = re.search(r"PID=\[(\d+)\]", started.stdout)
        if found is None:
            raise RuntimeError(f"sipp did not start: {started.stdout} {started.stderr}")
        self.pid = int(found.group(1))

    @property
    def trunk(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            import os
            import signal

            os.kill(self.pid, signal.SIGTERM)
