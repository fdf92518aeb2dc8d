"""What Meta's webhook posts (the `messages` field of a WhatsApp Business Account), read
into CFMP's terms: citizens' messages as inbound SMS-like messages, and the statuses of the
messages CFMP sent as delivery reports.

The shape, as Meta documents it:
{"object": "whatsapp_business_account",
 "entry": [{"id": "<WABA id>", "changes": [{"field": "messages", "value": {
     "messaging_product": "whatsapp",
     "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
     "contacts": [{"profile": {"name": "..."}, "wa_id": "923001234567"}],
     "messages": [{"from": "923001234567", "id": "wamid...", "timestamp": "1749416383",
                   "type": "text", "text": {"body": "..."}}],
     "statuses": [{"id": "wamid...", "status": "sent|delivered|read|failed",
                   "timestamp": "...", "recipient_id": "...",
                   "biz_opaque_callback_data": "...",
                   "errors": [{"code": 131026, "title": "...", ...}]}]}}]}]}
A button pressed on a template arrives as type "button" ({"payload", "text"}); one pressed on
an interactive message as type "interactive" ({"type": "button_reply", "button_reply":
{"id", "title"}})."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cfmp.channels.whatsapp.messages import attempt_in
from cfmp.core.bounds import OutOfBounds
from cfmp.feedback.services import Sms

# Meta's error codes worth another try later: throttling, a passing fault on Meta's side,
# and a free-form message that missed the 24-hour window (the next try goes as a template).
RETRYABLE = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131047, 131048, 131056})
STATES = {"sent": "submitted", "delivered": "delivered", "read": "delivered", "failed": "failed"}


@dataclass(frozen=True)
class Status:
    message_id: str  # the wamid CFMP's send was answered with
    state: str  # "submitted", "delivered" or "failed" (a DeliveryReport's)
    attempt_id: int | None  # from biz_opaque_callback_data, when the send set it
    error: str = ""
    retryable: bool = False


def _object(value: object, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise OutOfBounds(field, "must be a JSON object")
    return value


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OutOfBounds(field, "must be a list")
    return value


def _text(value: object, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise OutOfBounds(field, "must be a string")
    return str(value)


def _moment(value: object, field: str) -> dt.datetime:
    stamp = _text(value, field)
    if not stamp.isdigit() or len(stamp) > 12:
        raise OutOfBounds(field, "must be seconds since 1970")
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)


def message_text(message: dict[str, Any], field: str) -> str:
    """What the citizen said, as text: typed words, or the digit a button stands for."""
    kind = message.get("type")
    if kind == "text":
        return _text(_object(message.get("text"), f"{field}.text").get("body", ""), f"{field}.text")
    if kind == "button":  # a template's quick-reply button
        button = _object(message.get("button"), f"{field}.button")
        return _text(button.get("payload") or button.get("text") or "", f"{field}.button")
    if kind == "interactive":
        interactive = _object(message.get("interactive"), f"{field}.interactive")
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        reply = _object(reply, f"{field}.interactive.button_reply")
        return _text(reply.get("id") or reply.get("title") or "", f"{field}.interactive")
    if kind == "reaction":
        reaction = _object(message.get("reaction"), f"{field}.reaction")
        return _text(reaction.get("emoji") or "", f"{field}.reaction")
    # A picture, a voice note, a location…: kept, and read by an agent (unclear).
    return f"[{_text(kind or 'unknown', f'{field}.type')}]"


def _status(item: object, field: str) -> Status | None:
    status = _object(item, field)
    state = STATES.get(_text(status.get("status", ""), f"{field}.status"))
    if state is None:  # "deleted", "warning", a group's "played"…: nothing for an attempt
        return None
    error, retryable = "", False
    if state == "failed":
        errors = _list(status.get("errors"), f"{field}.errors")
        first = _object(errors[0], f"{field}.errors[0]") if errors else {}
        code = first.get("code")
        title = first.get("title") or first.get("message") or "failed"
        error = f"WhatsApp {code}: {_text(title, f'{field}.errors[0].title')}"[:300]
        retryable = isinstance(code, int) and code in RETRYABLE
    return Status(
        message_id=_text(status.get("id", ""), f"{field}.id"),
        state=state,
        attempt_id=attempt_in(status.get("biz_opaque_callback_data")),
        error=error,
        retryable=retryable,
    )


def read_notification(payload: object) -> tuple[list[Sms], list[Status]]:
    """The citizens' messages and the statuses a notification carries (anything else it may
    carry — template reviews, account updates — is left alone)."""
    body = _object(payload, "body")
    if body.get("object") != "whatsapp_business_account":
        raise OutOfBounds("object", "must be whatsapp_business_account")
    messages: list[Sms] = []
    statuses: list[Status] = []
    for e, entry in enumerate(_list(body.get("entry"), "entry")):
        changes = _list(_object(entry, f"entry[{e}]").get("changes"), f"entry[{e}].changes")
        for c, change in enumerate(changes):
            where = f"entry[{e}].changes[{c}]"
            change = _object(change, where)
            if change.get("field") != "messages":
                continue
            value = _object(change.get("value"), f"{where}.value")
            metadata = value.get("metadata") or {}
            to = (
                str(metadata.get("display_phone_number") or "")
                if isinstance(metadata, dict)
                else ""
            )
            for m, item in enumerate(_list(value.get("messages"), f"{where}.value.messages")):
                field = f"{where}.value.messages[{m}]"
                message = _object(item, field)
                sender = _text(message.get("from", ""), f"{field}.from")
                messages.append(
                    Sms(
                        gateway_message_id=_text(message.get("id", ""), f"{field}.id"),
                        sender=f"+{sender}" if sender.isdigit() else sender,
                        text=message_text(message, field),
                        recipient=to,
                        received_at=_moment(message.get("timestamp"), f"{field}.timestamp"),
                    )
                )
            for s, item in enumerate(_list(value.get("statuses"), f"{where}.value.statuses")):
                status = _status(item, f"{where}.value.statuses[{s}]")
                if status is not None:
                    statuses.append(status)
    return messages, statuses
