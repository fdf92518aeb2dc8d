"""Robocalls: what a call's end and the key pressed do to the attempt and the survey, and the
prompts (uploads converted for telephony, built-in ones spoken by espeak-ng). Each voice
gateway's own tests are in tests/channels/<type>/."""

import datetime as dt
import io
import subprocess
import wave
from pathlib import Path

import pytest
from django.urls import reverse

from cfmp.feedback.models import CallRequest, Feedback
from cfmp.outreach import dispatch
from cfmp.outreach.models import Channel, ContactAttempt, SurveyPlan, VoicePrompt
from cfmp.outreach.voice import audio
from cfmp.outreach.voice.prompts import call_files, store_prompt
from cfmp.outreach.voice.results import record_call_result
from tests.outreach.support import submitted_voice_attempt
from tests.system import require_binary

pytestmark = pytest.mark.django_db


def default_plan() -> SurveyPlan:
    return SurveyPlan.objects.get_or_create(is_default=True, service=None)[0]


def test_an_answered_call_with_a_key_is_delivered_and_the_key_becomes_ivr_feedback(
    world, monkeypatch
):
    attempt = submitted_voice_attempt(monkeypatch)
    assert record_call_result(attempt_id=attempt.pk, outcome="no_input", digit="2", seconds=14.5)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_outcome, attempt.call_digit, attempt.call_seconds) == (
        "delivered", "answered", "2", 14.5,
    )  # fmt: skip
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.category, feedback.attempt_id) == (
        "ivr",
        "bribe",
        attempt.pk,
    )
    # The same report again changes nothing.
    assert not record_call_result(attempt_id=attempt.pk, outcome="answered", digit="2")
    assert Feedback.objects.count() == 1
    # The SMS two hours later still goes out, whatever the call's outcome.
    sms = ContactAttempt.objects.get(survey=attempt.survey, channel=Channel.SMS)
    assert sms.state == "planned"


@pytest.mark.parametrize(
    ("outcome", "state", "retried"),
    [
        ("busy", "failed", True),
        ("no_answer", "failed", True),
        ("failed", "failed", True),
        ("rejected", "failed", False),
        ("no_input", "delivered", False),
        ("hung_up", "delivered", False),
    ],
)
def test_each_outcome_lands_on_the_attempt_and_retries_follow_the_rules(
    world, monkeypatch, outcome, state, retried
):
    attempt = submitted_voice_attempt(monkeypatch)
    assert record_call_result(attempt_id=attempt.pk, outcome=outcome, seconds=None)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_outcome) == (state, outcome)
    tries = ContactAttempt.objects.filter(survey=attempt.survey, channel=Channel.VOICE)
    assert tries.filter(try_number=2).exists() is retried
    assert not Feedback.objects.exists()


def test_nine_puts_the_citizen_in_the_call_centre_queue(world, monkeypatch):
    attempt = submitted_voice_attempt(monkeypatch)
    record_call_result(attempt_id=attempt.pk, outcome="answered", digit="9", seconds=8)
    request = CallRequest.objects.get()
    assert (request.mobile, request.reason) == ("+923005551234", "citizen_asked")
    assert not Feedback.objects.exists()


def _sine(tmp_path, suffix: str) -> bytes:
    target = tmp_path / f"tone{suffix}"
    subprocess.run(
        [require_binary("ffmpeg"), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=1.5", "-ar", "44100", "-ac", "2", str(target)],
        check=True,
    )  # fmt: skip
    return target.read_bytes()


@pytest.mark.parametrize("suffix", [".wav", ".mp3", ".ogg"])
def test_an_uploaded_recording_is_converted_to_8khz_mono_16bit(world, tmp_path, suffix, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = default_plan()
    prompt = store_prompt(
        plan=plan, language="ur", part="greeting", name=f"cm-greeting{suffix}",
        data=_sine(tmp_path, suffix),
    )  # fmt: skip
    with wave.open(prompt.audio.path) as stored:
        assert (stored.getframerate(), stored.getnchannels(), stored.getsampwidth()) == (8000, 1, 2)
    assert prompt.seconds == pytest.approx(1.5, abs=0.1)
    # A second upload replaces the first.
    store_prompt(plan=plan, language="ur", part="greeting", name="again.wav",
                 data=_sine(tmp_path, ".wav"))  # fmt: skip
    assert VoicePrompt.objects.get().original_name == "again.wav"


def test_what_is_not_audio_is_refused_with_a_clear_error(world, tmp_path, settings):
    require_binary("ffmpeg")
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(audio.AudioError, match="not a sound file"):
        store_prompt(plan=default_plan(), language="en",
                     part="thanks", name="notes.txt", data=b"just some text")  # fmt: skip
    assert not VoicePrompt.objects.exists()


def test_built_in_prompts_are_spoken_by_espeak_and_the_opening_joins_greeting_and_question(
    world, tmp_path, settings
):
    require_binary("espeak-ng"), require_binary("ffmpeg")
    settings.VAR_DIR = tmp_path
    files = call_files(default_plan(), "ur")
    lengths = {}
    for name, path in files.items():
        data = path.read_bytes()
        audio.check_telephony(data)
        lengths[name] = audio.seconds(data)
    assert all(length > 1 for length in lengths.values())
    greeting = audio.seconds((tmp_path / "prompts" / "built-in-ur-greeting.wav").read_bytes())
    assert lengths["opening"] == pytest.approx(greeting + lengths["question"], abs=0.01)


def test_prompt_audio_is_served_for_the_provider_to_fetch(client, world, tmp_path, settings):
    require_binary("espeak-ng"), require_binary("ffmpeg")
    settings.VAR_DIR = tmp_path
    plan = default_plan()
    response = client.get(f"/outreach/voice/prompts/{plan.pk}/ur/thanks.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.getframerate() == 8000
    assert client.get(f"/outreach/voice/prompts/{plan.pk}/ur/secret.wav").status_code == 404


def test_a_call_whose_end_is_never_reported_is_failed_once_not_called_again(world, monkeypatch):
    attempt = submitted_voice_attempt(monkeypatch)
    submitted = ContactAttempt.objects.get(pk=attempt.pk).submitted_at
    assert dispatch.recover_attempts(now=submitted + dt.timedelta(minutes=5))["calls_lost"] == 0
    later = submitted + dt.timedelta(minutes=16)
    assert dispatch.recover_attempts(now=later)["calls_lost"] == 1
    attempt.refresh_from_db()
    assert attempt.state == "failed" and attempt.error.startswith("call outcome lost")
    assert not ContactAttempt.objects.filter(survey=attempt.survey, try_number=2).exists()
    # A report arriving after all leaves the attempt as it is, but the key the citizen
    # pressed is their answer, and is kept.
    assert not record_call_result(attempt_id=attempt.pk, outcome="answered", digit="1")
    attempt.refresh_from_db()
    assert attempt.state == "failed" and Feedback.objects.get().category == "satisfied"


def test_robocalls_are_sent_from_their_own_queue_in_batches_a_sip_worker_can_hold(
    settings, monkeypatch
):
    from cfmp.outreach import tasks

    sent = []
    settings.CFMP_SEND_BATCH = 100
    settings.CFMP_VOICE_CHANNEL = "sip"
    monkeypatch.setattr(
        tasks.send_attempts_task,
        "apply_async",
        lambda args, **options: sent.append((args, options)),
    )
    dispatch._enqueue_sends(list(range(10)), channel="voice")
    dispatch._enqueue_sends(list(range(10)), channel="sms")
    voice = [args[0] for args, options in sent if options.get("queue") == "voice"]
    assert voice == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [args[0] for args, options in sent if "queue" not in options] == [list(range(10))]


def test_the_secretariat_replaces_a_prompt_with_a_recording_in_the_admin(
    client, world, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cfmp.accounts.models import Role

    require_binary("ffmpeg")  # the upload is converted to telephony WAV by ffmpeg
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = default_plan()
    client.force_login(world.users[Role.SECRETARIAT])
    url = reverse("admin:outreach_voiceprompt_add")
    refused = client.post(url, {"plan": plan.pk, "language": "ur", "part": "thanks",
                                "recording": SimpleUploadedFile("cm.mp3", b"not audio")})  # fmt: skip
    assert refused.status_code == 200 and "not a sound file" in refused.content.decode()
    recording = SimpleUploadedFile("cm-thanks.ogg", _sine(tmp_path, ".ogg"))
    saved = client.post(url, {"plan": plan.pk, "language": "ur", "part": "thanks",
                              "recording": recording})  # fmt: skip
    assert saved.status_code == 302
    prompt = VoicePrompt.objects.get()
    assert (prompt.original_name, prompt.part) == ("cm-thanks.ogg", "thanks")
    with wave.open(prompt.audio.path) as stored:
        assert stored.getframerate() == 8000
    assert call_files(plan, "ur")["thanks"] == Path(prompt.audio.path)


def test_cfmp_voice_prompts_uploads_a_recording_for_a_plan(world, tmp_path, settings):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    source = tmp_path / "greeting.mp3"
    source.write_bytes(_sine(tmp_path, ".mp3"))
    out = io.StringIO()
    call_command("voice_prompts", "upload", str(source), part="greeting", language="en", stdout=out)
    assert "now plays greeting.mp3" in out.getvalue()
    assert VoicePrompt.objects.get(plan=default_plan()).language == "en"


def test_the_contact_history_shows_how_each_call_ended(client, world, monkeypatch):
    from cfmp.accounts.models import Role

    attempt = submitted_voice_attempt(monkeypatch)
    record_call_result(attempt_id=attempt.pk, outcome="answered", digit="3", seconds=17.2)
    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    body = client.get(reverse("outreach-history"), {"mobile": "0300 555 1234"}).content.decode()
    assert "answered, a key pressed (key 3), 17 s" in body


def test_a_sip_calls_end_is_recorded_through_a_retried_task(world, monkeypatch):
    from cfmp.channels.sip.adapter import CallResult, record_in_database

    attempt = submitted_voice_attempt(monkeypatch)
    record_in_database(CallResult(attempt.pk, "answered", "4", 12.5))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.call_outcome, attempt.call_seconds) == (
        "delivered",
        "answered",
        12.5,
    )
    assert Feedback.objects.get().category == "misbehaviour"


def test_a_services_plan_plays_its_own_recordings_then_the_default_plans(world, tmp_path, settings):
    from cfmp.registry.models import Service

    require_binary("espeak-ng")
    settings.MEDIA_ROOT, settings.VAR_DIR = tmp_path / "media", tmp_path
    default = default_plan()
    fard = SurveyPlan.objects.create(service=Service.objects.get(code="fard"))
    tone = _sine(tmp_path, ".wav")
    default_thanks = store_prompt(
        plan=default, language="ur", part="thanks", name="d.wav", data=tone
    )
    files = call_files(fard, "ur")
    assert files["thanks"] == Path(default_thanks.audio.path)  # the default plan's
    assert files["question"].name == "built-in-ur-question.wav"  # nobody's: built in
    own = store_prompt(plan=fard, language="ur", part="thanks", name="own.wav", data=tone)
    assert call_files(fard, "ur")["thanks"] == Path(own.audio.path)
    # The opening is made again when a recording it is made of changes.
    greeting = store_prompt(plan=fard, language="ur", part="greeting", name="g.wav", data=tone)
    opening = call_files(fard, "ur")["opening"]
    assert opening != files["opening"]
    assert audio.seconds(opening.read_bytes()) == pytest.approx(
        greeting.seconds + audio.seconds(files["question"].read_bytes()), abs=0.01
    )
