from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cfmp.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        from cfmp.core import events
        from cfmp.feedback.callcentre import record_keypad_answer

        # A robocall's key becomes feedback (or a place in the call queue, for 9) in the
        # same transaction as the key itself (outreach.voice.results.record_call_digit).
        events.subscribe(events.CALL_KEY_PRESSED, record_keypad_answer)
