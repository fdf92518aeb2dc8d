"""Tests that need a Debian package call `require_binary`: skipped with a reason naming
`make system-deps` on a developer's machine, a failure in CI (CFMP_REQUIRE_SYSTEM_DEPS=1)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed: run `make system-deps` (as root)"
    if os.environ.get("CFMP_REQUIRE_SYSTEM_DEPS") == "1":
        pytest.fail(message)
    pytest.skip(message)
