"""CPU time of processes, read from /proc: what a message costs in CPU, whoever sends it.

Wall-clock rates on a shared two-core machine say more about the machine than about the
code; CPU seconds per message do not depend on what else runs beside it (to a few percent:
caches), so CFMP's path and Kannel's are compared by them."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # the fields after the command name


def cpu_seconds(pid: int) -> float:
    """User + system time of one process and of its children it has waited for."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    utime, stime, cutime, cstime = (int(fields[n]) for n in (11, 12, 13, 14))
    return (utime + stime + cutime + cstime) / TICKS


def tree(pid: int) -> list[int]:
    """A process and all its descendants (a Celery worker and its pool)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def postgres_backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving connections to one database."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {database} " in command:
            pids.append(int(entry.name))
    return pids


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Meter:
    """CPU seconds of named groups of processes, between `start` and `stop`."""

    groups: dict[str, list[int]]
    database: str = ""
    started: dict[str, float] | None = None
    used: dict[str, float] | None = None

    def _read(self) -> dict[str, float]:
        readings = {
            name: sum(cpu_seconds(p) for pid in pids for p in tree(pid))
            for name, pids in self.groups.items()
        }
        if self.database:
            self._backends = getattr(self, "_backends", set()) | set(
                postgres_backends(self.database)
            )
            readings["postgres"] = sum(cpu_seconds(pid) for pid in self._backends)
        readings["this process"] = own_cpu_seconds()
        return readings

    def start(self) -> None:
        self.started = self._read()

    def stop(self) -> dict[str, float]:
        assert self.started is not None
        now = self._read()
        self.used = {name: now[name] - self.started.get(name, 0.0) for name in now}
        return self.used

    def per_message_ms(self, count: int) -> dict[str, float]:
        assert self.used is not None
        parts = {name: 1000 * seconds / count for name, seconds in self.used.items()}
        parts["total"] = sum(parts.values())
        return {name: round(value, 3) for name, value in parts.items()}
