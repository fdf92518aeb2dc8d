"""django-axes' throttle in front of Django's password check."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class ThrottledBackend(AxesStandaloneBackend):
    """Every sign-in from the web passes its request, and is throttled (per account and per
    address). A call without a request comes from code in CFMP's own process (a test
    client's login(), a command), which no outside guesser reaches: axes would refuse it
    outright; here the password check decides alone."""

    def authenticate(self, request: Any, username: Any = None, password: Any = None,
                     **kwargs: Any) -> Any:  # fmt: skip
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
