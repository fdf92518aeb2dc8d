"""A small asynchronous HTTP server for Kannel's delivery reports alone
(`cfmp serve-delivery-reports`), for when they arrive by the thousand per second.

A delivery report is a GET with a short query and no body; answering it costs a few
microseconds, but a general-purpose WSGI stack spends hundreds on each request. This server
reads requests on kept-alive connections with asyncio, checks each report's signature
(`reports.parse_kannel_report`, as the Django view does), and hands the reports to one
writer thread that applies everything gathered in the last few milliseconds in one go
(`reports.apply_kannel_reports`). A request is answered only once its report is written:
200 when written, 503 when the database refused (Kannel may try again), 400/403 for a
malformed or forged report. Anything but GET gets 405.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections

from cfmp.channels.kannel.reports import Report, apply_kannel_reports, parse_kannel_report

logger = logging.getLogger(__name__)
MAX_BATCH = 5000
MAX_WAIT = 0.004  # seconds a report may wait for others to share its write
REASONS = {200: b"OK", 400: b"Bad Request", 403: b"Forbidden", 405: b"Method Not Allowed",
           503: b"Service Unavailable"}  # fmt: skip


class ReportWriter:
    """Gathers reports from every connection; one thread writes them in batches."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[Report, asyncio.Future[None]]] = asyncio.Queue()
        self.executor = ThreadPoolExecutor(1, "delivery-report-writer")
        self.batches = 0

    async def submit(self, report: Report) -> None:
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((report, done))
        await done

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            await asyncio.sleep(MAX_WAIT)
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            try:
                await loop.run_in_executor(self.executor, _write, [r for r, _ in batch])
                self.batches += 1
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
            except Exception as problem:
                logger.exception("a batch of %d delivery reports failed", len(batch))
                for _, done in batch:
                    if not done.done():
                        done.set_exception(problem)


def _write(reports: list[Report]) -> None:
    close_old_connections()  # a connection the database dropped is replaced
    apply_kannel_reports(reports)


def _response(status: int, body: bytes, *, keep_alive: bool) -> bytes:
    connection = b"keep-alive" if keep_alive else b"close"
    return (
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
        b"Connection: %s\r\n\r\n%s" % (status, REASONS[status], len(body), connection, body)
    )


async def _answer(writer_: ReportWriter, method: bytes, target: bytes) -> tuple[int, bytes]:
    if method != b"GET":
        return 405, b"GET only"
    query = urllib.parse.parse_qs(target.partition(b"?")[2].decode("latin-1"))
    status, outcome = parse_kannel_report(query)
    if not isinstance(outcome, tuple):
        return status, outcome.encode()
    try:
        await writer_.submit(outcome)
    except Exception:
        return 503, b"not recorded, try again"
    return 200, b"ok"


async def handle_connection(
    report_writer: ReportWriter, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            method, target, version = [*lines[0].split(b" ", 2), b"", b""][:3]
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(b":") for line in lines[1:] if line)
            }
            length = int(headers.get(b"content-length", b"0") or 0)
            if length:
                await reader.readexactly(length)  # not expected; read and ignored
            connection = headers.get(b"connection", b"").lower()
            keep_alive = (
                connection != b"close"
                if version.strip() == b"HTTP/1.1"
                else connection == b"keep-alive"
            )
            status, body = await _answer(report_writer, method, target)
            writer.write(_response(status, body, keep_alive=keep_alive))
            await writer.drain()
            if not keep_alive:
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass  # the client went away or spoke nonsense: drop the connection
    finally:
        writer.close()


async def serve(host: str, port: int, *, ready: asyncio.Event | None = None) -> None:
    report_writer = ReportWriter()
    server = await asyncio.start_server(
        lambda r, w: handle_connection(report_writer, r, w), host, port, backlog=4096
    )
    writer_task = asyncio.create_task(report_writer.run())
    logger.info("serving delivery reports on %s:%d", host, port)
    if ready is not None:
        ready.set()
    async with server:
        try:
            await server.serve_forever()
        finally:
            writer_task.cancel()
