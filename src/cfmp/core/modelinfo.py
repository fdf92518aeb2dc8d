from __future__ import annotations

from django.db import models


def max_length_of(model: type[models.Model], field_name: str) -> int:
    """A CharField's max_length, for validating input before it reaches the database."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length
