"""Progress bars for long operator commands (tqdm on stderr, silent when asked)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def byte_progress(*, total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A callback taking "bytes consumed so far", drawing a bar sized to the file."""
    if not enabled:
        yield lambda _position: None
        return
    with tqdm(
        total=total, unit="B", unit_scale=True, desc=label, file=sys.stderr, leave=False
    ) as bar:

        def advance(position: int) -> None:
            bar.update(max(0, position - bar.n))

        yield advance
