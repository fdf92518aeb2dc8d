from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cfmp.feedback"
    label = "feedback"
    verbose_name = "Feedback"
