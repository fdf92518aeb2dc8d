"""Domain events: how an app tells the apps after it in the flow that something happened,
without importing them (intake → outreach → feedback → cases → reports; docs/ARCHITECTURE.md).

A producer publishes an event by its name with a small payload of ids; consumers subscribe
to the name in their AppConfig.ready(). The producer never knows who listens, so its app can
be read and tested alone, and the imports follow the flow (import-linter checks it).

Two ways to publish, as the work demands:

- `publish(...)`: the handlers run once the current transaction commits (at once outside
  one), so nothing is acted on that could still be rolled back. For work handed to a queue.
- `publish_in_transaction(...)`: the handlers run now, inside the producer's transaction,
  for a consequence that must be written together with its cause or not at all.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

# The events, each with the payload it carries.
FEEDBACK_RECORDED = "feedback_recorded"  # feedback_ids: new or re-categorised feedback
FEEDBACK_CORRECTED = "feedback_corrected"  # correction: a FeedbackCorrection just written
CALL_KEY_PRESSED = "call_key_pressed"  # attempt_id, digit: a robocall's key, just recorded
EVENTS = frozenset({FEEDBACK_RECORDED, FEEDBACK_CORRECTED, CALL_KEY_PRESSED})

Handler = Callable[..., Any]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    """Call `handler(**payload)` for each `event` (once, however often ready() runs)."""
    if event not in EVENTS:
        raise ValueError(f"no such event: {event!r}")
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def handlers(event: str) -> list[Handler]:
    return list(_handlers[event])


def publish(event: str, **payload: Any) -> None:
    """The event's handlers, once this transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"no such event: {event!r}")
    transaction.on_commit(functools.partial(_deliver, event, payload))


def publish_in_transaction(event: str, **payload: Any) -> None:
    """The event's handlers, now: a handler's failure fails the producer's transaction."""
    if event not in EVENTS:
        raise ValueError(f"no such event: {event!r}")
    _deliver(event, payload)


def _deliver(event: str, payload: dict[str, Any]) -> None:
    for handler in _handlers[event]:
        handler(**payload)
