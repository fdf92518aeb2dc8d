"""The API's JSON parser: DRF's, within cfmp.core.bounds's size and depth limits, so a
deeply nested body is a 400 like any other malformed one, never a RecursionError."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from cfmp.core.bounds import OutOfBounds, load_json


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""
        try:
            return load_json(body, constants=_no_constants)
        except OutOfBounds as problem:
            raise ParseError(f"JSON parse error - {problem.field} {problem.message}") from None
