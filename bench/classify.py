"""`cfmp classify` throughput: N replies (the corpus, repeated) through the command, as an
operator would pipe them.

    .venv/bin/python bench/classify.py            # 100,000 lines
    .venv/bin/python bench/classify.py --lines 20000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    corpus = (ROOT / "src/cfmp/feedback/corpus/replies.tsv").read_text(encoding="utf-8")
    texts = [line.split("\t", 1)[0] for line in corpus.splitlines()[1:]]
    lines = "".join(texts[n % len(texts)] + "\n" for n in range(args.lines)).encode()
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "CFMP_VAR_DIR": var, "CFMP_DEBUG": "1"}
        # The first run trains the model; the timed run loads it, as in use.
        subprocess.run([BIN / "cfmp", "classify"], input=b"1\n", env=env, check=True,
                       capture_output=True)  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            [BIN / "cfmp", "classify"], input=lines, env=env, check=True, capture_output=True
        )
        elapsed = time.perf_counter() - started
    printed = done.stdout.count(b"\n")
    print(f"{printed:,} lines classified in {elapsed:.1f} s: {printed / elapsed:,.0f} lines/s")


if __name__ == "__main__":
    main()
