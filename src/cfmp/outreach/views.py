"""Robocall prompts' audio, fetched by cloud voice providers while a call plays."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from cfmp.outreach.models import SurveyPlan
from cfmp.outreach.voice.prompts import call_files

PROMPTS = ("opening", "question", "thanks")


@require_GET
def prompt_audio(request: HttpRequest, plan_id: int, language: str, name: str) -> FileResponse:
    if name not in PROMPTS or language not in ("ur", "en"):
        raise Http404
    plan = get_object_or_404(SurveyPlan, pk=plan_id)
    return FileResponse(call_files(plan, language)[name].open("rb"), content_type="audio/wav")
