"""CFMP: Citizen Feedback Monitoring Platform."""

from cfmp.celery import app as celery_app

__all__ = ["celery_app"]
