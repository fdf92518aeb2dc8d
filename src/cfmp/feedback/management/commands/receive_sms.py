"""`cfmp receive-sms --from NUMBER --text TEXT`: one inbound SMS through the same path a
gateway's message takes, for operators testing a channel."""

from __future__ import annotations

import uuid

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfmp.core.bounds import OutOfBounds
from cfmp.feedback import services
from cfmp.feedback.models import OPERATOR_GATEWAY


class Command(BaseCommand):
    help = "Take in one SMS as if a gateway had delivered it (for testing a channel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="sender", required=True, help="The citizen's number.")
        parser.add_argument("--text", required=True)
        parser.add_argument("--to", default="", help="The short code it was sent to.")

    def handle(self, *args, sender: str, text: str, to: str, **options) -> None:
        try:
            received = services.receive_sms(
                gateway=OPERATOR_GATEWAY,
                gateway_message_id=f"operator-{uuid.uuid4()}",
                sender=sender,
                recipient=to,
                text=text,
            )
        except OutOfBounds as problem:  # stored nothing; said as the gateways would
            raise CommandError(f"--{problem.field}: {problem.message}") from None
        message = received.message
        survey = f"survey {message.survey_id}" if message.survey_id else "no survey"
        self.stdout.write(
            f"stored message {message.pk} from {message.sender}: {message.kind}, {survey}"
        )
