"""Audio for telephony: whatever is uploaded (WAV, MP3, OGG) becomes 8 kHz mono 16-bit PCM
WAV, what G.711 carries; built-in prompts are spoken by espeak-ng. Both tools are Debian
packages (`make system-deps`)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

RATE = 8000


class AudioError(Exception):
    """The file is not audio ffmpeg can read, or a tool is missing."""


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AudioError(f"{name} is not installed (make system-deps installs it)")
    return path


def to_telephony(data: bytes) -> bytes:
    """Any audio ffmpeg reads → 8 kHz mono 16-bit PCM WAV bytes."""
    with tempfile.TemporaryDirectory(prefix="cfmp-audio-") as scratch:
        source = Path(scratch) / "upload"
        source.write_bytes(data)
        target = Path(scratch) / "prompt.wav"
        done = subprocess.run(
            [tool("ffmpeg"), "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
             "-ar", str(RATE), "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", str(target)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if done.returncode != 0 or not target.exists():
            reason = done.stderr.strip().splitlines()[-1:] or ["not audio"]
            raise AudioError(f"not a sound file ffmpeg can read: {reason[0]}")
        return target.read_bytes()


def seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def check_telephony(wav: bytes) -> None:
    """Refuse what a call cannot play as is."""
    with wave.open(io.BytesIO(wav)) as audio:
        shape = (audio.getframerate(), audio.getnchannels(), audio.getsampwidth())
    if shape != (RATE, 1, 2):
        raise AudioError(f"expected 8000 Hz mono 16-bit, got {shape[0]} Hz, {shape[1]} "
                         f"channel(s), {8 * shape[2]}-bit")  # fmt: skip


def speak(text: str, *, language: str) -> bytes:
    """The text spoken by espeak-ng (its Urdu or English voice), as telephony WAV."""
    voice = {"ur": "ur", "en": "en"}[language]
    done = subprocess.run(
        [tool("espeak-ng"), "-v", voice, "-s", "140", "--stdout", text],
        capture_output=True, timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        raise AudioError(f"espeak-ng failed: {done.stderr.decode(errors='replace')[:200]}")
    return to_telephony(done.stdout)


def join(*wavs: bytes) -> bytes:
    """Telephony WAVs one after another (greeting + question are played as one)."""
    frames = []
    for data in wavs:
        check_telephony(data)
        with wave.open(io.BytesIO(data)) as audio:
            frames.append(audio.readframes(audio.getnframes()))
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(b"".join(frames))
    return out.getvalue()
