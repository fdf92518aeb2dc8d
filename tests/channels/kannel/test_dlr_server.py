"""`cfmp serve-delivery-reports`, the asynchronous receiver for Kannel's delivery reports,
as a real process on a scratch database: signed reports are written (and only once),
forged or malformed ones refused, kept-alive connections served request after request."""

from __future__ import annotations

import hashlib
import hmac
import http.client

from tests.channels.kannel.support import free_port, wait_for_port
from tests.outreach.support import PLAN_TWO_SMS, attempt_rows
from tests.processes import CFMP, cfmp, clean_environment, scratch_database, spawn

SECRET = "test-webhook-secret"


def signed(attempt: int, kind: int) -> str:
    signature = hmac.new(SECRET.encode(), f"attempt:{attempt}".encode(), hashlib.sha256)
    return f"/outreach/kannel/dlr?attempt={attempt}&sig={signature.hexdigest()[:32]}&type={kind}"


def get(connection: http.client.HTTPConnection, path: str, method: str = "GET") -> tuple:
    connection.request(method, path)
    reply = connection.getresponse()
    return reply.status, reply.read()


def test_the_receiver_writes_signed_reports_once_and_refuses_forgeries(tmp_path):
    env = clean_environment(tmp_path)
    env.update(
        {
            "CFMP_WEBHOOK_SECRET": SECRET,
            "CFMP_OUTREACH_WINDOW": "00:00-24:00",
            "CFMP_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        }
    )
    port = free_port()
    with scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        for command in (
            ("migrate", "--noinput"),
            ("load-demo", "--transactions", "0", "--history-weeks", "0"),
        ):
            assert cfmp(*command, env=env, cwd=tmp_path).returncode == 0
        planned = cfmp("shell", "-v", "0", "-c", PLAN_TWO_SMS, env=env, cwd=tmp_path)
        assert planned.returncode == 0, planned.stderr
        send_both = (
            "from cfmp.outreach.models import ContactAttempt; "
            "ContactAttempt.objects.update(state='sending')"
        )
        assert cfmp("shell", "-c", send_both, env=env, cwd=tmp_path).returncode == 0
        first, second = (row[0] for row in attempt_rows(database_url))

        server = spawn(CFMP, "serve-delivery-reports", f"127.0.0.1:{port}", env=env, cwd=tmp_path)
        try:
            wait_for_port(port, seconds=60)  # a busy machine starts Django slowly
            kept = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            forged = signed(first, 1).replace("sig=", "sig=0")
            assert get(kept, forged)[0] == 403
            assert get(kept, "/outreach/kannel/dlr?attempt=x&type=1")[0] == 400
            assert get(kept, signed(first, 1)) == (200, b"ok")
            assert get(kept, signed(first, 2)) == (200, b"ok")  # late, changes nothing
            assert get(kept, signed(second, 16)) == (200, b"ok")  # rejected by the SMSC
            assert get(kept, signed(second, 1), method="POST")[0] == 405
            kept.close()
            rows = {row[0]: row[1:] for row in attempt_rows(database_url)}
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0]
    assert rows[first] == ("delivered", ""), output
    assert rows[second] == ("failed", "rejected by the SMSC")
