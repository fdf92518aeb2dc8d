"""Which recording a robocall plays: the plan's upload for its language, else the built-in
prompt (espeak-ng, made once into CFMP_VAR_DIR/prompts). Greeting and question are played
as one file (the opening); the question alone is the repeat."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cfmp.outreach.models import SurveyPlan, VoicePrompt
from cfmp.outreach.voice import audio

Part = VoicePrompt.Part

BUILT_IN: dict[tuple[str, str], str] = {
    ("ur", Part.GREETING): "السلام علیکم۔ یہ وزیر اعلیٰ پنجاب کی طرف سے پیغام ہے۔ "
    "آپ نے حال ہی میں ایک سرکاری دفتر سے خدمت حاصل کی ہے۔",
    (
        "ur",
        Part.QUESTION,
    ): "اگر آپ مطمئن تھے تو ایک دبائیں۔ اگر کسی نے آپ سے پیسے مانگے تو دو دبائیں۔ "
    "تاخیر ہوئی تو تین، بدسلوکی ہوئی تو چار، اور ہمارے نمائندے سے بات کرنے کے لیے نو دبائیں۔",
    ("ur", Part.THANKS): "آپ کی رائے کا شکریہ۔ خدا حافظ۔",
    ("en", Part.GREETING): "Hello. This is a message from the Chief Minister of Punjab. "
    "You recently received a service at a government office.",
    ("en", Part.QUESTION): "If you were satisfied, press 1. If someone asked you for money, "
    "press 2. For delay press 3, for bad behaviour press 4, and to talk to our agent press 9.",
    ("en", Part.THANKS): "Thank you for your feedback. Goodbye.",
}


def prompts_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "prompts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def built_in(language: str, part: str) -> Path:
    """The built-in prompt's file, spoken by espeak-ng the first time it is needed."""
    path = prompts_dir() / f"built-in-{language}-{part}.wav"
    if not path.exists():
        wav = audio.speak(BUILT_IN[(language, part)], language=language)
        _write_whole(path, wav)
    return path


def _write_whole(path: Path, data: bytes) -> None:
    """Whole or not at all, and each writer its own scratch file: several workers may make
    the same prompt at once."""
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    scratch.write_bytes(data)
    scratch.replace(path)


def call_files(plan: SurveyPlan, language: str) -> dict[str, Path]:
    """{"opening": greeting + question, "question": the question, "thanks": thank-you}: the
    plan's uploads, else the default plan's, else the built-in ones. Asked for every call
    (and every prompt a cloud provider fetches): one query, and the opening is joined only
    when one of its two recordings has changed."""
    plans = [plan.pk]
    if not plan.is_default:
        plans += SurveyPlan.objects.filter(is_default=True).values_list("pk", flat=True)
    uploads: dict[str, Path] = {}
    for prompt in VoicePrompt.objects.filter(plan_id__in=plans, language=language):
        if prompt.part not in uploads or prompt.plan_id == plan.pk:
            uploads[prompt.part] = Path(prompt.audio.path)
    greeting, question, thanks = (
        uploads.get(part) or built_in(language, part)
        for part in (Part.GREETING, Part.QUESTION, Part.THANKS)
    )
    return {"opening": _opening(greeting, question), "question": question, "thanks": thanks}


def _opening(greeting: Path, question: Path) -> Path:
    """Greeting and question as one file, named by the two recordings it is made of."""
    sources = "|".join(f"{path}:{path.stat().st_mtime_ns}" for path in (greeting, question))
    opening = prompts_dir() / f"opening-{hashlib.sha256(sources.encode()).hexdigest()[:16]}.wav"
    if not opening.exists():
        _write_whole(opening, audio.join(greeting.read_bytes(), question.read_bytes()))
    return opening


def store_prompt(
    *, plan: SurveyPlan, language: str, part: str, name: str, data: bytes
) -> VoicePrompt:
    """An uploaded recording (WAV, MP3, OGG…), converted to telephony WAV; replaces the
    plan's previous one for that language and part. AudioError if it is not audio."""
    wav = audio.to_telephony(data)
    with transaction.atomic():
        prompt = VoicePrompt.objects.select_for_update().filter(
            plan=plan, language=language, part=part
        ).first() or VoicePrompt(plan=plan, language=language, part=part)
        prompt.original_name = name[:200]
        prompt.seconds = audio.seconds(wav)
        stem = Path(name).stem[:40] or "prompt"
        prompt.audio.save(f"{plan.pk}-{language}-{part}-{stem}.wav", ContentFile(wav), save=False)
        prompt.save()
    return prompt
