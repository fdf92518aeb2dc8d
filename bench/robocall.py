"""Robocall benchmark: N concurrent SIP calls from CFMP's SIP channel to a SIPp phone on
loopback.

    .venv/bin/python bench/robocall.py                 # 100 calls at once (the target)
    .venv/bin/python bench/robocall.py --calls 200

Needs Debian's sip-tester (SIPp) and ffmpeg (`make system-deps`). CFMP's phones run as
they do in a voice worker: ceil(N / 4) processes, each with one PJSIP endpoint holding 4
calls (`cfmp.channels.sip.adapter.Phone`). SIPp answers every call, sends CFMP's audio to
one UDP port this benchmark listens on (a separate process, timestamping each packet),
and presses 1 after --talk seconds. Reported: calls placed and their outcomes, the most
calls up at once, calls per minute, and the RTP timing of every stream (gaps between
packets: median, p99, max, share within 20 ± 2 ms; RFC 3550 interarrival jitter), and the
machine's CPU use during the calls.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def listen(port_out, stop, results) -> None:
    """The phone's audio port: records (arrival, SSRC, payload type, RTP timestamp)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    port_out.put(sock.getsockname()[1])
    streams: dict[int, list[tuple[float, int]]] = {}
    while not stop.is_set():
        try:
            data = sock.recv(2048)
        except TimeoutError:
            continue
        now = time.monotonic()
        if len(data) < 12 or data[1] & 0x7F not in (0, 8):
            continue
        ssrc = int.from_bytes(data[8:12], "big")
        streams.setdefault(ssrc, []).append((now, int.from_bytes(data[4:8], "big")))
    results.put(rtp_timing(streams))


def rtp_timing(streams: dict[int, list[tuple[float, int]]]) -> dict:
    gaps, jitters = [], []
    for packets in streams.values():
        jitter = 0.0
        for (t0, ts0), (t1, ts1) in itertools.pairwise(packets):
            gaps.append(t1 - t0)
            transit_change = (t1 - t0) - (ts1 - ts0) / 8000  # RFC 3550 §6.4.1, in seconds
            jitter += (abs(transit_change) - jitter) / 16
        jitters.append(jitter)
    if not gaps:
        return {"streams": 0}
    gaps.sort()
    return {
        "streams": len(streams),
        "packets": len(gaps) + len(streams),
        "gap_median_ms": 1000 * statistics.median(gaps),
        "gap_p99_ms": 1000 * gaps[int(0.99 * (len(gaps) - 1))],
        "gap_max_ms": 1000 * gaps[-1],
        "within_20_2_ms": sum(0.018 <= g <= 0.022 for g in gaps) / len(gaps),
        "jitter_mean_ms": 1000 * statistics.fmean(jitters),
        "jitter_max_ms": 1000 * max(jitters),
    }


def dial_calls(numbers: list[str], trunk: str, prompts: dict, out) -> None:
    """One voice-worker process: one Phone, its calls, each result sent back."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")
    os.environ.setdefault("CFMP_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()
    from cfmp.channels.sip.adapter import CallScript, Dial, phone

    script = CallScript(**prompts, ring_seconds=30, digit_seconds=6)
    the_phone = phone(bind="127.0.0.1")
    finished: list = []
    for n, number in enumerate(numbers):
        request = Dial(
            uri=f"sip:{number}@{trunk}", attempt_id=n, script=script,
            account=(trunk, "8070", "", ""), report=finished.append,
        )  # fmt: skip
        placed_at = time.monotonic()
        the_phone.dial(request, wait=120)
        out.put(("placed", placed_at))
    while len(finished) < len(numbers):
        time.sleep(0.05)
    for result in finished:
        out.put(("ended", time.monotonic(), str(result.outcome), result.digit, result.seconds))


def make_prompts(directory: Path, talk: float) -> dict:
    """Tones long enough that the calls overlap: the opening lasts the whole talk."""
    files = {}
    for name, seconds in (("opening", talk + 10), ("question", 2), ("thanks", 1)):
        path = directory / f"{name}.wav"
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
             f"sine=frequency=440:duration={seconds}", "-ar", "8000", "-ac", "1",
             "-c:a", "pcm_s16le", str(path)],
            check=True,
        )  # fmt: skip
        files[name] = path
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--talk", type=float, default=15, help="seconds before the key")
    args = parser.parse_args()
    from tests.channels.sip.support import SippPhone

    directory = Path(tempfile.mkdtemp(prefix="cfmp-bench-robocall-"))
    prompts = make_prompts(directory, args.talk)
    ctx = mp.get_context("spawn")
    port_out, stop, rtp = ctx.Queue(), ctx.Event(), ctx.Queue()
    listener = ctx.Process(target=listen, args=(port_out, stop, rtp))
    listener.start()
    sink_port = port_out.get(timeout=10)
    peer = SippPhone(
        "sipp", "answer_and_press", directory, rtp_port=sink_port, digit="1",
        delay_ms=int(args.talk * 1000), calls=10 * args.calls,
    )  # fmt: skip
    events = ctx.Queue()
    processes = math.ceil(args.calls / 4)
    numbers = [f"92300{n:07d}" for n in range(args.calls)]
    busy0, total0 = cpu_times()
    started = time.monotonic()
    workers = [
        ctx.Process(target=dial_calls, args=(numbers[i::processes], peer.trunk, prompts, events))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    timeline, outcomes, talk_seconds = [], {}, []
    ended = 0
    while ended < args.calls:
        event = events.get(timeout=300)
        if event[0] == "placed":
            timeline.append((event[1], +1))
        else:
            ended += 1
            timeline.append((event[1], -1))
            outcomes[event[2]] = outcomes.get(event[2], 0) + 1
            if event[4]:
                talk_seconds.append(event[4])
    elapsed = time.monotonic() - started
    busy1, total1 = cpu_times()
    for worker in workers:
        worker.join(30)
    stop.set()
    timing = rtp.get(timeout=60)
    listener.join(10)
    peer.stop()
    up = most = 0
    for _, change in sorted(timeline):
        up += change
        most = max(most, up)
    results = {
        "calls": args.calls,
        "voice_processes": processes,
        "outcomes": outcomes,
        "most_calls_at_once": most,
        "seconds": round(elapsed, 1),
        "calls_per_minute": round(60 * args.calls / elapsed, 1),
        "talk_seconds_median": round(statistics.median(talk_seconds), 1) if talk_seconds else None,
        "machine_cpu_busy": round((busy1 - busy0) / (total1 - total0), 3),
        "rtp": {k: round(v, 3) if isinstance(v, float) else v for k, v in timing.items()},
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
