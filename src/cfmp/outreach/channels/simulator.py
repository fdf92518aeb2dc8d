"""The built-in citizen simulator: a channel that accepts every message at once and reports
its delivery, so `make run` shows a living system with no phone network."""

from __future__ import annotations

import uuid

from cfmp.outreach.channels import Accepted, OutboundMessage


class SimulatorChannel:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[OutboundMessage] = []  # what a test can inspect

    def send(self, message: OutboundMessage) -> Accepted:
        self.sent.append(message)
        return Accepted(gateway_id=f"sim-{uuid.uuid4().hex}")
