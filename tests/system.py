"""Tests that need a Debian package call `require_binary`: skipped with a reason naming
`make system-deps` on a developer's machine, a failure in CI (CFMP_REQUIRE_SYSTEM_DEPS=1)."""

from __future__ import annotations

import os
import shutil

import pytest


def _missing(message: str) -> None:
    if os.environ.get("CFMP_REQUIRE_SYSTEM_DEPS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_pango() -> None:
    """WeasyPrint's shared libraries (Pango), which a fresh machine lacks."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        _missing("Pango is not installed (PDF export): run `make system-deps` (as root)")


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    _missing(f"{name} is not installed: run `make system-deps` (as root)")
    raise AssertionError("unreachable")  # skip and fail raise
