"""`cfmp classify`: one reply per line on stdin, one JSON object per line on stdout."""

from __future__ import annotations

import io
import json
import sys

from django.core.management.base import BaseCommand

from cfmp.feedback.classifier import get_classifier

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Classify replies: one per line (UTF-8) on stdin; prints "
        '{"category", "confidence", "bribe_amount"} per line.'
    )

    def handle(self, *args, **options) -> None:
        classifier = get_classifier()
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        out = sys.stdout
        lines: list[str] = []
        for line in stdin:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= CHUNK:
                self._emit(classifier, lines, out)
                lines = []
        self._emit(classifier, lines, out)

    @staticmethod
    def _emit(classifier, lines: list[str], out) -> None:
        for result in classifier.classify_many(lines):
            out.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        out.flush()
