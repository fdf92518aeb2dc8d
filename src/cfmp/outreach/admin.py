import threading

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cfmp.accounts.admin_scoping import LogsIdentityViews, ScopedAdmin
from cfmp.accounts.scopes import can_manage_registry
from cfmp.outreach import plans
from cfmp.outreach.models import ChannelSetting, Holiday, OptOut, SurveyPlan, VoicePrompt
from cfmp.outreach.voice import audio
from cfmp.outreach.voice.prompts import store_prompt


def _everything(model):
    return staticmethod(lambda user: model.objects.all())


class SurveyPlanForm(forms.ModelForm):
    """Checked as `cfmp plans` checks a change (`plans.plan_problems`): texts at their
    longest, refused when the gateway could not deliver them whole; each refusal on its
    field. A new service's plan has robocalls only where they can be made."""

    class Meta:
        model = SurveyPlan
        fields = [
            "service", "is_default", "robocall", "robocall_delay", "sms_delay",
            "manual_call_rate", "language", "sms_text_ur", "sms_text_en", "keypad",
        ]  # fmt: skip
        # Each text written in its own direction, whatever the admin's language (issue 22).
        widgets = {
            "sms_text_ur": forms.Textarea(attrs={"dir": "rtl", "lang": "ur", "rows": 4}),
            "sms_text_en": forms.Textarea(attrs={"dir": "ltr", "lang": "en", "rows": 4}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk is None:
            self.initial.setdefault("robocall", plans.robocall_possible())

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # the instance now holds the form's values
        errors, _ = plans.plan_problems(self.instance)
        for name, messages_ in errors.items():
            for message in messages_:
                self.add_error(name if name in self.fields else None, message)


@admin.register(SurveyPlan)
class SurveyPlanAdmin(ScopedAdmin):
    visible_to = _everything(SurveyPlan)
    form = SurveyPlanForm
    list_display = [
        "__str__",
        "robocall",
        "robocall_delay",
        "sms_delay",
        "manual_call_rate",
        "language",
        "urdu_text_size",
        "english_text_size",
    ]
    readonly_fields = ["urdu_text_size", "english_text_size"]

    # The registry's longest names, read once per list page (not twice per row); per thread,
    # since one admin object serves every request.
    _list_page = threading.local()

    def changelist_view(self, request, extra_context=None):
        longest = {language: plans.longest_values(language=language) for language in ("ur", "en")}
        self._list_page.longest = longest
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()  # the rows' sizes are computed now, while the names are here
            return response
        finally:
            self._list_page.longest = {}

    def _size(self, text: str, language: str) -> str:
        longest = getattr(self._list_page, "longest", {}).get(language)
        return plans.check_text(text=text, language=language, longest=longest).summary()

    @admin.display(description=_("Urdu text: SMS and cost"))
    def urdu_text_size(self, plan: SurveyPlan) -> str:
        return self._size(plan.sms_text_ur, "ur")

    @admin.display(description=_("English text: SMS and cost"))
    def english_text_size(self, plan: SurveyPlan) -> str:
        return self._size(plan.sms_text_en, "en")

    def save_model(self, request, obj, form, change) -> None:
        for warning in plans.update_plan(plan=obj):  # the form's changes, checked and saved
            self.message_user(request, warning, level=messages.WARNING)


@admin.register(ChannelSetting)
class ChannelSettingAdmin(ScopedAdmin):
    visible_to = _everything(ChannelSetting)
    list_display = ["channel", "paused", "daily_capacity", "rate_per_second"]
    list_editable = ["paused", "daily_capacity", "rate_per_second"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    visible_to = _everything(Holiday)
    list_display = ["date", "name"]


@admin.register(OptOut)
class OptOutAdmin(LogsIdentityViews, ScopedAdmin):
    """Numbers are citizens' identities: only roles that may see them manage this list."""

    visible_to = staticmethod(
        lambda user: OptOut.objects.all() if can_manage_registry(user) else OptOut.objects.none()
    )
    list_display = ["mobile", "source", "created_at"]
    search_fields = ["mobile"]


class VoicePromptForm(forms.ModelForm):
    recording = forms.FileField(
        label=_("recording"),
        help_text=_("WAV, MP3 or OGG; converted to 8 kHz mono 16-bit for telephony."),
    )

    class Meta:
        model = VoicePrompt
        fields = ["plan", "language", "part"]

    def clean_recording(self):
        upload = self.cleaned_data["recording"]
        data = upload.read()
        try:
            audio.to_telephony(data)
        except audio.AudioError as problem:
            raise forms.ValidationError(str(problem)) from problem
        self.recording_data = data
        return upload


@admin.register(VoicePrompt)
class VoicePromptAdmin(ScopedAdmin):
    """Replace the built-in robocall prompts with real recordings, per plan and language."""

    visible_to = _everything(VoicePrompt)
    form = VoicePromptForm
    list_display = ["plan", "language", "part", "original_name", "seconds", "uploaded_at"]
    readonly_fields = ["original_name", "seconds", "uploaded_at"]

    def save_model(self, request, obj, form, change) -> None:
        prompt = store_prompt(
            plan=obj.plan, language=obj.language, part=obj.part,
            name=form.cleaned_data["recording"].name, data=form.recording_data,
        )  # fmt: skip
        obj.pk = prompt.pk
