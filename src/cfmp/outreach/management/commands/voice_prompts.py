"""`cfmp voice-prompts`: the robocall's recordings."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfmp.outreach.models import SurveyPlan, VoicePrompt
from cfmp.outreach.plans import default_plan
from cfmp.outreach.voice import audio
from cfmp.outreach.voice.prompts import BUILT_IN, built_in, store_prompt


class Command(BaseCommand):
    help = (
        "Robocall prompts: `list` what each plan plays, `built-in` speaks the built-in "
        "prompts with espeak-ng, `upload FILE --part greeting|question|thanks --language "
        "ur|en [--service CODE]` replaces one with a recording (WAV, MP3, OGG)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "built-in", "upload"])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--part", choices=VoicePrompt.Part.values)
        parser.add_argument("--language", choices=["ur", "en"], default="ur")
        parser.add_argument("--service", help="the service's plan (default: the default plan)")

    def handle(self, *args, action: str, file: Path | None, part: str | None,
               language: str, service: str | None, **options) -> None:  # fmt: skip
        if action == "built-in":
            for language_code, part_name in BUILT_IN:
                path = built_in(language_code, part_name)
                seconds = audio.seconds(path.read_bytes())
                self.stdout.write(f"{language_code} {part_name:8} {seconds:5.1f} s  {path}")
            return
        if action == "list":
            for prompt in VoicePrompt.objects.select_related("plan__service").order_by("pk"):
                self.stdout.write(
                    f"{prompt.plan}: {prompt.language} {prompt.part} {prompt.seconds:.1f} s "
                    f"({prompt.original_name})"
                )
            self.stdout.write("every other prompt: the built-in one (cfmp voice-prompts built-in)")
            return
        if file is None or part is None:
            raise CommandError("upload needs a FILE and --part")
        plan = (
            SurveyPlan.objects.filter(service__code=service).first() if service else default_plan()
        )
        if plan is None:
            raise CommandError(f"no survey plan for service {service!r}")
        try:
            prompt = store_prompt(plan=plan, language=language, part=part, name=file.name,
                                  data=file.read_bytes())  # fmt: skip
        except (OSError, audio.AudioError) as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            f"{plan}: {language} {part} now plays {file.name} ({prompt.seconds:.1f} s)"
        )
