"""Robocalls over real SIP on loopback: CFMP (PJSIP) calls SIPp playing the citizen's
phone, which answers and presses a key, is busy, never answers, or hangs up mid-prompt.
Each call goes through the outreach state machine: queued → placed (submitted) → its
outcome on the attempt, the key as feedback."""

import itertools
import queue
import statistics
import subprocess
import time

import pytest

from cfmp.channels.sip.adapter import SipChannel, record_result
from cfmp.feedback.models import Feedback
from cfmp.outreach import dispatch
from cfmp.outreach.models import SurveyPlan
from cfmp.outreach.voice.prompts import store_prompt
from tests.channels.sip.support import RtpSink, SippPhone
from tests.outreach.support import CALL_DUE, queued_voice_attempt
from tests.system import require_binary

pytestmark = pytest.mark.django_db


@pytest.fixture
def sip(world, settings, tmp_path):
    """Short prompts (tones), short waits, and a way to start a SIPp phone."""
    sipp = require_binary("sipp")
    ffmpeg = require_binary("ffmpeg")
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CFMP_CALL_RING_SECONDS = 3
    settings.CFMP_CALL_DIGIT_SECONDS = 1
    plan, _ = SurveyPlan.objects.get_or_create(is_default=True, service=None)
    for part, seconds in (("greeting", 0.6), ("question", 0.8), ("thanks", 0.4)):
        tone = tmp_path / f"{part}.wav"
        subprocess.run(
            [ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i",
             f"sine=frequency=440:duration={seconds}", str(tone)],
            check=True,
        )  # fmt: skip
        for language in ("en", "ur"):
            store_prompt(plan=plan, language=language, part=part, name=tone.name,
                         data=tone.read_bytes())  # fmt: skip
    phones, sinks = [], []

    def start(scenario: str, **options):
        sink = RtpSink()
        phone = SippPhone(sipp, scenario, tmp_path, rtp_port=sink.port, **options)
        phones.append(phone), sinks.append(sink)
        return phone, sink

    yield start
    for phone in phones:
        phone.stop()
    for sink in sinks:
        sink.close()


def call(monkeypatch, peer: SippPhone, *, mobile: str = "0300-5551234"):
    """Queue a robocall, place it through SIP to the peer, wait for its end and record it
    (in the test's thread: the phone's thread hands the result over)."""
    attempt = queued_voice_attempt(monkeypatch, mobile=mobile)
    results: queue.Queue = queue.Queue()
    channel = SipChannel(trunk=peer.trunk, caller_id="8070", bind="127.0.0.1", report=results.put)
    assert dispatch.send_attempt(attempt.pk, now=CALL_DUE, channel_for=lambda _: channel) == (
        "submitted"
    )
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.gateway_id  # the SIP Call-ID
    result = results.get(timeout=60)
    assert record_result(result)
    attempt.refresh_from_db()
    return attempt, result


def test_a_real_call_plays_the_prompt_and_records_the_key_pressed(sip, monkeypatch):
    peer, sink = sip("answer_and_press", digit="2", delay_ms=1200)
    attempt, result = call(monkeypatch, peer)
    assert (result.outcome, result.digit) == ("answered", "2")
    assert (attempt.state, attempt.call_outcome, attempt.call_digit) == (
        "delivered", "answered", "2",
    )  # fmt: skip
    assert 1 < attempt.call_seconds < 10
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.category, feedback.keypad_digit) == ("ivr", "bribe", "2")
    # The prompt arrived as G.711 RTP, a packet every 20 ms, until the key was pressed.
    assert sink.audio_packets() >= 50
    times = [at for at, pt in sink.arrivals if pt in (0, 8)][:50]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert statistics.median(gaps) == pytest.approx(0.020, abs=0.003)


def test_a_busy_phone_is_busy_and_tried_again_later(sip, monkeypatch):
    peer, _ = sip("busy")
    attempt, result = call(monkeypatch, peer)
    assert (result.outcome, result.sip_code) == ("busy", 486)
    assert (attempt.state, attempt.call_outcome) == ("failed", "busy")
    assert attempt.survey.attempts.filter(channel="voice", try_number=2).exists()


def test_a_phone_that_rings_out_is_no_answer_and_the_call_is_cancelled(sip, monkeypatch):
    peer, _ = sip("no_answer")
    attempt, result = call(monkeypatch, peer)
    assert (result.outcome, result.sip_code) == ("no_answer", 487)  # CANCEL → 487
    assert (attempt.state, attempt.call_outcome, attempt.call_seconds) == (
        "failed", "no_answer", None,
    )  # fmt: skip


def test_a_citizen_who_hangs_up_mid_prompt_was_reached_without_an_answer(sip, monkeypatch):
    peer, _ = sip("hang_up_mid_prompt", delay_ms=500)
    attempt, result = call(monkeypatch, peer)
    assert (result.outcome, result.digit) == ("hung_up", "")
    assert (attempt.state, attempt.call_outcome) == ("delivered", "hung_up")
    assert not Feedback.objects.exists()


def test_no_key_pressed_asks_once_more_then_thanks_and_hangs_up(sip, monkeypatch):
    peer, sink = sip("answer_silent")
    attempt, _ = call(monkeypatch, peer)
    assert (attempt.state, attempt.call_outcome) == ("delivered", "no_input")
    # opening (1.4 s) + wait (1 s) + question (0.8 s) + wait (1 s) + thanks (0.4 s)
    assert 4 < attempt.call_seconds < 8
    assert sink.audio_packets() >= 4.0 / 0.02 * 0.9


def test_a_rejected_call_is_rejected_and_not_tried_again(sip, monkeypatch):
    peer, _ = sip("reject")
    attempt, result = call(monkeypatch, peer)
    assert (result.outcome, result.sip_code) == ("rejected", 603)
    assert (attempt.state, attempt.call_outcome) == ("failed", "rejected")
    assert not attempt.survey.attempts.filter(channel="voice", try_number=2).exists()


def test_calls_beyond_the_trunks_limit_wait_for_a_line_then_are_tried_again(sip, monkeypatch):
    peer, _ = sip("answer_silent")
    first = queued_voice_attempt(monkeypatch, mobile="0300-5551111")
    second = queued_voice_attempt(monkeypatch, mobile="0300-5552222")
    results: queue.Queue = queue.Queue()
    channel = SipChannel(trunk=peer.trunk, caller_id="8070", bind="127.0.0.1", max_calls=1,
                         report=results.put, line_wait=1)  # fmt: skip
    send = dispatch.send_attempt
    assert send(first.pk, now=CALL_DUE, channel_for=lambda _: channel) == "submitted"
    # The one line is taken: the second call waits a second for it, then fails retryably.
    assert send(second.pk, now=CALL_DUE, channel_for=lambda _: channel) == "failed"
    second.refresh_from_db()
    assert "lines of the SIP trunk stayed busy" in second.error
    retry = second.survey.attempts.get(channel="voice", try_number=2)
    # Once the first call has ended, the retry gets the line.
    assert record_result(results.get(timeout=60))
    retry_due = retry.due_at
    assert dispatch.queue_due_attempts(now=retry_due) == [retry.pk]
    assert send(retry.pk, now=retry_due, channel_for=lambda _: channel) == "submitted"
    assert record_result(results.get(timeout=60))
    retry.refresh_from_db()
    assert (retry.state, retry.call_outcome) == ("delivered", "no_input")


def test_the_message_starts_when_the_citizen_answers_not_during_early_media(sip, monkeypatch):
    peer, sink = sip("early_media_then_answer")  # 183 with ringback for 2 s, then 200 OK
    dialled = time.monotonic()
    attempt, _ = call(monkeypatch, peer)
    assert (attempt.state, attempt.call_outcome) == ("delivered", "no_input")
    assert sink.sound_at, "the prompt never arrived"
    assert sink.sound_at[0] - dialled > 1.9  # not one word of it to the ringback
