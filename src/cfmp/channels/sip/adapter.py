"""Robocalls over SIP: CFMP places each call itself, to a SIP trunk or PBX, with PJSIP's
pjsua2 binding (docs/decisions/0007-sip-robocalls.md): G.711 RTP every 20 ms, the key
pressed as an RFC 4733 telephone-event.

A process has one `Phone`: a thread that owns the PJSIP endpoint and runs every call's
script (`RoboCall`): ring for CFMP_CALL_RING_SECONDS (then CANCEL: no answer); once
answered, play the opening (greeting + question); wait CFMP_CALL_DIGIT_SECONDS for a key;
without one, the question once more and wait again; then the thank-you and hang up. A
key pressed at any point stops the prompt and goes straight to the thank-you.

`SipChannel.send` hands a call to the phone and returns once the INVITE is out (the
attempt is then "submitted"); the call's end is reported through
`voice.results.record_call_result`. PJSIP as packaged holds 4 calls per process, so a
voice worker of N processes carries 4 × N calls at once (`cfmp worker --voice`)."""

from __future__ import annotations

import contextlib
import logging
import queue
import random
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from cfmp.channels.base import Accepted, ChannelError, OutboundMessage, own_setting
from cfmp.channels.sip.type import LINES_PER_PROCESS
from cfmp.outreach.models import CallOutcome

logger = logging.getLogger(__name__)


@dataclass
class CallResult:
    attempt_id: int
    outcome: str
    digit: str = ""
    seconds: float | None = None  # from answer to hang-up
    sip_code: int | None = None
    detail: str = ""


@dataclass
class CallScript:
    """What one call plays and how long it waits."""

    opening: Path
    question: Path
    thanks: Path
    ring_seconds: float
    digit_seconds: float
    lengths: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("opening", "question", "thanks"):
            with wave.open(str(getattr(self, name))) as audio:
                self.lengths[name] = audio.getnframes() / audio.getframerate()


@dataclass
class Dial:
    uri: str
    attempt_id: int
    script: CallScript
    account: tuple[str, str, str, str]  # trunk, caller id, username, password
    report: Callable[[CallResult], None]  # told how the call ended, on the phone's thread
    placed: Future[str] = field(default_factory=Future)  # → SIP Call-ID, or a ChannelError


def outcome_of(*, answered: bool, we_hung_up: bool, digit: str, code: int) -> str:
    """A finished call's outcome from what the SIP exchange showed."""
    if answered:
        if digit:
            return CallOutcome.ANSWERED
        return CallOutcome.NO_INPUT if we_hung_up else CallOutcome.HUNG_UP
    if we_hung_up or code in (408, 480, 487):
        return CallOutcome.NO_ANSWER
    if code in (486, 600):
        return CallOutcome.BUSY
    if code == 603:
        return CallOutcome.REJECTED
    return CallOutcome.FAILED


def _calls() -> Any:
    import pjsua2 as pj

    class RoboCall(pj.Call):  # type: ignore[misc]  # pjsua2 has no types
        """One call's script, driven by PJSIP's callbacks and the phone's clock (`tick`);
        everything runs on the phone's thread."""

        def __init__(self, phone: Phone, account: Any, dial: Dial) -> None:
            pj.Call.__init__(self, account)
            self.phone, self.dial = phone, dial
            self.script = dial.script
            self.phase = "ringing"  # ringing → opening|question → waiting → thanks → done
            self.deadline = time.monotonic() + self.script.ring_seconds
            self.answered_at: float | None = None
            self.repeated = False
            self.digit = ""
            self.we_hung_up = False
            self.media = None
            self.player = None

        def onCallState(self, prm: Any) -> None:  # noqa: N802 (PJSIP's names)
            info = self.getInfo()
            if info.state == pj.PJSIP_INV_STATE_CONFIRMED and self.answered_at is None:
                self.answered_at = time.monotonic()
                self.begin()
            if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
                self.finish(info)

        def onCallMediaState(self, prm: Any) -> None:  # noqa: N802
            info = self.getInfo()
            for index, media in enumerate(info.media):
                if media.type == pj.PJMEDIA_TYPE_AUDIO and (
                    media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
                ):
                    self.media = self.getAudioMedia(index)
                    self.begin()

        def begin(self) -> None:
            """The opening plays once the citizen has answered and the audio is up — not
            to early media while it still rings (a trunk's 183 with ringback)."""
            if self.phase == "ringing" and self.answered_at is not None and self.media is not None:
                self.play("opening")

        def onDtmfDigit(self, prm: Any) -> None:  # noqa: N802
            if not self.digit and self.phase in ("opening", "question", "waiting"):
                self.digit = prm.digit[:1]
                self.play("thanks")

        def play(self, name: str) -> None:
            self.stop_playing()
            player = pj.AudioMediaPlayer()
            player.createPlayer(str(getattr(self.script, name)), pj.PJMEDIA_FILE_NO_LOOP)
            player.startTransmit(self.media)
            self.player = player
            self.phase = name
            self.deadline = time.monotonic() + self.script.lengths[name] + 0.1

        def stop_playing(self) -> None:
            if self.player is not None:
                with contextlib.suppress(pj.Error):  # the call's media is already gone
                    self.player.stopTransmit(self.media)
                self.phone.graveyard.append(self.player)  # destroyed outside callbacks
                self.player = None

        def hang_up(self, code: int) -> None:
            self.we_hung_up = True
            param = pj.CallOpParam()
            param.statusCode = code
            try:
                self.hangup(param)
            except pj.Error as problem:
                logger.warning("hanging up call %s: %s", self.dial.attempt_id, problem.info())

        def tick(self, now: float) -> None:
            if self.phase == "done" or now < self.deadline:
                return
            if self.phase == "ringing":
                self.hang_up(pj.PJSIP_SC_REQUEST_TERMINATED)  # CANCEL: nobody answered
                self.phase, self.deadline = "cancelling", now + 10
            elif self.phase in ("opening", "question"):
                self.phase, self.deadline = "waiting", now + self.script.digit_seconds
            elif self.phase == "waiting" and not self.repeated:
                self.repeated = True
                self.play("question")
            elif self.phase == "waiting":
                self.play("thanks")
            elif self.phase == "thanks":
                self.stop_playing()
                self.hang_up(pj.PJSIP_SC_OK)
                self.phase, self.deadline = "hanging up", now + 10
            else:  # the far end never confirmed the CANCEL or BYE
                self.finish(None)

        def finish(self, info: Any) -> None:
            if self.phase == "done":
                return
            self.stop_playing()
            code = info.lastStatusCode if info is not None else 0
            answered = self.answered_at is not None
            outcome = outcome_of(
                answered=answered, we_hung_up=self.we_hung_up, digit=self.digit, code=code
            )
            seconds = None
            if answered and info is not None:
                seconds = info.connectDuration.sec + info.connectDuration.msec / 1000
            detail = "" if answered else f"SIP {code} {info.lastReason if info else ''}".strip()
            self.phase = "done"
            result = CallResult(self.dial.attempt_id, outcome, self.digit, seconds, code, detail)
            self.phone.finished.append((self, result))

    return RoboCall


class Phone:
    """This process's SIP user agent: a thread owning the PJSIP endpoint, placing calls
    handed to it and reporting each call's end to the call's reporter (on its own thread)."""

    def __init__(self, *, bind: str) -> None:
        self.bind = bind
        self.requests: queue.Queue[Dial] = queue.Queue()
        self.calls: list[Any] = []  # RoboCalls
        self.finished: list[tuple[Any, CallResult]] = []  # (call, its result)
        self.graveyard: list[Any] = []
        self.accounts: dict[tuple[str, str, str, str], Any] = {}
        self.started = threading.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sip-phone", daemon=True)
        self.thread.start()
        self.started.wait(30)
        if self.failure is not None:
            raise ChannelError(f"SIP endpoint did not start: {self.failure}", retryable=True)

    def dial(self, request: Dial, *, wait: float) -> str:
        """Hand a call over; returns its SIP Call-ID once the INVITE is out. Waits up to
        `wait` seconds for a free line."""
        self.requests.put(request)
        try:
            return request.placed.result(timeout=wait)
        except TimeoutError:
            if request.placed.cancel():
                raise ChannelError(
                    "all SIP lines of this worker stayed busy", retryable=True
                ) from None
            # The phone took it up at that very moment: the call is going out.
            return request.placed.result()

    def busy_lines(self) -> int:
        return len(self.calls)

    # Everything below runs on the phone's thread.

    def _run(self) -> None:
        try:
            self._start_endpoint()
        except BaseException as problem:  # reported to the constructor
            self.failure = problem
            self.started.set()
            return
        self.started.set()
        call_class = _calls()
        while True:  # for the life of the process (a daemon thread)
            self.endpoint.libHandleEvents(10)
            self._place_waiting_calls(call_class)
            now = time.monotonic()
            for call in list(self.calls):
                self._tick(call, now)
            self._report_finished()
            self.graveyard.clear()

    def _tick(self, call: Any, now: float) -> None:
        """One call's clock; a fault in one call ends that call (failed), never the phone
        and the other calls with it."""
        try:
            call.tick(now)
        except Exception as problem:
            logger.exception("call of attempt %s broke", call.dial.attempt_id)
            with contextlib.suppress(Exception):
                call.hang_up(500)
            call.phase = "done"
            self.finished.append(
                (call, CallResult(call.dial.attempt_id, CallOutcome.FAILED, call.digit,
                                  detail=f"call script failed: {problem}"[:300]))
            )  # fmt: skip

    def _start_endpoint(self) -> None:
        import pjsua2 as pj

        self.endpoint = pj.Endpoint()
        self.endpoint.libCreate()
        config = pj.EpConfig()
        config.uaConfig.maxCalls = LINES_PER_PROCESS
        config.uaConfig.threadCnt = 0  # no PJSIP worker thread: this thread polls
        config.uaConfig.mainThreadOnly = True
        config.uaConfig.userAgent = "CFMP robocall"
        config.logConfig.level = config.logConfig.consoleLevel = 1
        media = config.medConfig
        media.clockRate = media.sndClockRate = 8000  # G.711's rate: no resampling
        media.channelCount = 1
        media.audioFramePtime = media.ptime = 20
        media.noVad = True  # RTP every 20 ms, silence too
        media.ecTailLen = 0
        self.endpoint.libInit(config)
        transport = pj.TransportConfig()
        transport.port = 0  # any free port: several voice processes on one machine
        if self.bind:
            transport.boundAddress = self.bind
        self.endpoint.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
        self.endpoint.libStart()
        self.endpoint.audDevManager().setNullDev()  # a server: no sound card
        for codec in self.endpoint.codecEnum2():
            priority = {"PCMU/8000/1": 255, "PCMA/8000/1": 254}.get(codec.codecId, 0)
            self.endpoint.codecSetPriority(codec.codecId, priority)

    def _account(self, key: tuple[str, str, str, str]) -> Any:
        import pjsua2 as pj

        if key not in self.accounts:
            trunk, caller_id, username, password = key
            config = pj.AccountConfig()
            config.idUri = f"sip:{caller_id}@{trunk}"
            if username:
                config.sipConfig.authCreds.append(
                    pj.AuthCredInfo("digest", "*", username, 0, password)
                )
            media = config.mediaConfig.transportConfig
            # RTP ports from a random even start: several voice processes on one machine
            # then rarely probe the same ports.
            media.port = 10000 + 2 * random.randrange(20000)
            if self.bind:
                media.boundAddress = self.bind
            # An answer offering several codecs must not make PJSIP re-INVITE to pick one.
            config.mediaConfig.lockCodecEnabled = False
            account = pj.Account()
            account.create(config)
            self.accounts[key] = account
        return self.accounts[key]

    def _place_waiting_calls(self, call_class: Any) -> None:
        import pjsua2 as pj

        while len(self.calls) < LINES_PER_PROCESS:
            try:
                request = self.requests.get_nowait()
            except queue.Empty:
                return
            if not request.placed.set_running_or_notify_cancel():
                continue  # the sender gave up waiting for a line
            try:
                call = call_class(self, self._account(request.account), request)
                call.makeCall(request.uri, pj.CallOpParam(True))
            except Exception as problem:
                reason = problem.info() if isinstance(problem, pj.Error) else str(problem)
                request.placed.set_exception(
                    ChannelError(f"SIP call not placed: {reason}", retryable=True)
                )
                continue
            self.calls.append(call)
            request.placed.set_result(call.getInfo().callIdString)

    def _report_finished(self) -> None:
        while self.finished:
            call, result = self.finished.pop(0)
            if call in self.calls:
                self.calls.remove(call)
            try:
                call.dial.report(result)
            except Exception:
                logger.exception("call result of attempt %s not recorded", result.attempt_id)


def record_result(result: CallResult) -> bool:
    """A call's end on its attempt (outcome, key, duration)."""
    from cfmp.outreach.voice.results import record_call_result

    return record_call_result(
        attempt_id=result.attempt_id, outcome=result.outcome, digit=result.digit,
        seconds=result.seconds, detail=result.detail,
    )  # fmt: skip


def record_in_database(result: CallResult) -> None:
    """The default reporter: the call's end goes to a task (retried until it is recorded),
    so the phone's thread never waits on the database while it carries other calls. Only
    with the broker unreachable is it written from here."""
    from django.db import connection

    from cfmp.outreach.tasks import record_call_result_task

    fields = {
        "attempt_id": result.attempt_id,
        "outcome": str(result.outcome),
        "digit": result.digit,
        "seconds": result.seconds,
        "detail": result.detail,
    }
    try:
        record_call_result_task.delay(**fields)
    except Exception:
        logger.warning("broker unreachable: recording the call of %s here", result.attempt_id)
        try:
            record_result(result)
        finally:
            connection.close()


_phone: Phone | None = None
_phone_lock = threading.Lock()


def phone(*, bind: str) -> Phone:
    """This process's phone, started on first use (after a worker's fork, never before)."""
    global _phone
    with _phone_lock:
        if _phone is None or not _phone.thread.is_alive():
            _phone = Phone(bind=bind)
        return _phone


class SipChannel:
    name = "voice"
    parallel = False  # handing a call to the phone is instant; it reads the plan's prompts

    def __init__(self, *, trunk: str, caller_id: str, username: str = "", password: str = "",
                 bind: str = "", max_calls: int = 100,
                 report: Callable[[CallResult], None] = record_in_database,
                 line_wait: float = 120) -> None:  # fmt: skip
        self.trunk, self.caller_id = trunk, caller_id
        self.username, self.password, self.bind = username, password, bind
        self.max_calls, self.report, self.line_wait = max_calls, report, line_wait

    @classmethod
    def from_settings(cls) -> SipChannel:
        return cls(
            trunk=own_setting("CFMP_SIP_TRUNK"),
            caller_id=settings.CFMP_CALLER_ID,
            username=own_setting("CFMP_SIP_USERNAME"),
            password=own_setting("CFMP_SIP_PASSWORD"),
            bind=own_setting("CFMP_SIP_BIND"),
            max_calls=own_setting("CFMP_SIP_MAX_CALLS"),
        )

    def uri_for(self, number: str) -> str:
        return f"sip:{number.lstrip('+')}@{self.trunk}"

    def send(self, message: OutboundMessage) -> Accepted:
        from cfmp.outreach.models import ContactAttempt
        from cfmp.outreach.voice.prompts import call_files

        if message.attempt_id is None:
            raise ChannelError("a robocall is always a survey's attempt", retryable=False)
        plan = (
            ContactAttempt.objects.select_related("survey__plan")
            .get(pk=message.attempt_id)
            .survey.plan
        )
        files = call_files(plan, plan.language)
        script = CallScript(
            opening=files["opening"], question=files["question"], thanks=files["thanks"],
            ring_seconds=settings.CFMP_CALL_RING_SECONDS,
            digit_seconds=settings.CFMP_CALL_DIGIT_SECONDS,
        )  # fmt: skip
        request = Dial(
            uri=self.uri_for(message.to),
            attempt_id=message.attempt_id,
            script=script,
            account=(self.trunk, self.caller_id, self.username, self.password),
            report=self.report,
        )
        deadline = time.monotonic() + self.line_wait
        while True:
            call_id = self._dial_if_the_trunk_has_room(request, deadline)
            if call_id is not None:
                return Accepted(gateway_id=call_id)
            if time.monotonic() > deadline:
                raise ChannelError(
                    f"all {self.max_calls} lines of the SIP trunk stayed busy", retryable=True
                )
            time.sleep(0.5)

    def _dial_if_the_trunk_has_room(self, request: Dial, deadline: float) -> str | None:
        """Calls in progress on the trunk, from every voice worker, are the voice attempts
        dialed (a Call-ID stored) whose end is not yet known. Counting and dialing hold the
        voice channel's settings row, so two workers never take the last line together."""
        from django.db import transaction

        from cfmp.outreach.models import ChannelSetting, ContactAttempt

        the_phone = phone(bind=self.bind)
        if the_phone.busy_lines() >= LINES_PER_PROCESS:
            return None  # this process's lines first: never wait for them holding the lock
        active = (ContactAttempt.State.SENDING, ContactAttempt.State.SUBMITTED)
        with transaction.atomic():
            ChannelSetting.objects.get_or_create(channel="voice")
            ChannelSetting.objects.select_for_update().filter(channel="voice").exists()
            in_progress = ContactAttempt.objects.filter(
                channel="voice", state__in=active, call_outcome=""
            ).exclude(gateway_id="")
            if in_progress.count() >= self.max_calls:
                return None
            call_id = the_phone.dial(request, wait=max(1.0, min(10.0, deadline - time.monotonic())))
            ContactAttempt.objects.filter(pk=request.attempt_id).update(gateway_id=call_id)
        return call_id
