"""Meta's side, for the tests: a fake Cloud API (an HTTP server on loopback answering
POST /<version>/<phone number id>/messages as Meta documents) and notifications in the
shape Meta's webhooks post, signed with the app secret."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.urls import reverse

APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "923000008070"
ACCESS_TOKEN = "EAAG-test-token"
WABA_ID = "102290129340398"


class FakeCloudApi:
    """Records each request; answers with a new wamid, or with the error it is told to."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.error: tuple[int, dict[str, Any]] | None = None
        ids = itertools.count(1)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.requests.append(
                    {"path": self.path, "auth": self.headers["Authorization"], "body": body}
                )
                if api.error is not None:
                    status, answer = api.error
                else:
                    status = 200
                    answer = {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.TEST{next(ids):04d}"}],
                    }
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def notification(*, messages: list[dict] | None = None, statuses: list[dict] | None = None):
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages is not None:
        value["contacts"] = [
            {"profile": {"name": "Citizen"}, "wa_id": m["from"]} for m in messages[:1]
        ]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def text(sender: str, wamid: str, body: str, at: int) -> dict:
    return {"from": sender, "id": wamid, "timestamp": str(at), "type": "text",
            "text": {"body": body}}  # fmt: skip


def template_button(sender: str, wamid: str, payload: str, at: int, context: str) -> dict:
    """A quick-reply button of a template pressed."""
    return {"context": {"from": DISPLAY_NUMBER, "id": context}, "from": sender, "id": wamid,
            "timestamp": str(at), "type": "button",
            "button": {"payload": payload, "text": "Complaint" if payload == "2" else "Satisfied"}}  # fmt: skip


def reply_button(sender: str, wamid: str, button_id: str, at: int, context: str) -> dict:
    """A reply button of an interactive message pressed."""
    return {"context": {"from": DISPLAY_NUMBER, "id": context}, "from": sender, "id": wamid,
            "timestamp": str(at), "type": "interactive",
            "interactive": {"type": "button_reply",
                            "button_reply": {"id": button_id, "title": f"{button_id} …"}}}  # fmt: skip


def status(wamid: str, state: str, recipient: str, at: int, *, opaque: str | None = None,
           error: tuple[int, str] | None = None) -> dict:  # fmt: skip
    item: dict[str, Any] = {"id": wamid, "status": state, "timestamp": str(at),
                            "recipient_id": recipient}  # fmt: skip
    if opaque is not None:
        item["biz_opaque_callback_data"] = opaque
    if state in ("sent", "delivered"):
        item["conversation"] = {"id": "c0ffee", "origin": {"type": "utility"}}
        item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
    if error is not None:
        code, title = error
        item["errors"] = [{"code": code, "title": title, "message": title,
                           "error_data": {"details": title}}]  # fmt: skip
    return item


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload: dict, *, signature: str | None = None):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("whatsapp-webhook"),
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature if signature is not None else sign(body)},
    )
