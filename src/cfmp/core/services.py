"""Writes of the core app: spending a form's token, so that a page submitted twice writes
once (issue 17). The token is rendered into the form (`form_token` field of
`cfmp.core.forms.OnceForm`, or the `{% form_token %}` tag) and spent inside the same
transaction as the write it guards: a refused write leaves the token unspent, to be
corrected and sent again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.core.models import FormToken


class NotAFormToken(ValueError):
    """No token, or not one CFMP made: a page from before tokens, or a hand-made request."""


class AlreadySubmitted(Exception):
    """This page was submitted before; `outcome_url` is where that submission led."""

    def __init__(self, outcome_url: str) -> None:
        super().__init__("this form was already submitted")
        self.outcome_url = outcome_url


def spend_form_token(
    *, token: uuid.UUID | str, user: User, purpose: str, now: dt.datetime | None = None
) -> FormToken:
    """Mark the token spent, or raise AlreadySubmitted. Call it inside the transaction that
    writes: two submissions at once queue on the unique token and the second is refused."""
    try:
        token = uuid.UUID(str(token))
    except ValueError as problem:
        raise NotAFormToken("not a form token") from problem
    try:
        with transaction.atomic():
            return FormToken.objects.create(
                token=token, user=user, purpose=purpose, spent_at=now or timezone.now()
            )
    except IntegrityError:
        spent = FormToken.objects.filter(token=token).first()
        raise AlreadySubmitted(spent.outcome_url if spent else "") from None


def record_outcome(*, spent: FormToken, url: str) -> None:
    """Where the submission led, for a repeat to be sent to the same page."""
    spent.outcome_url = url[:300]
    spent.save(update_fields=["outcome_url"])


def write_once(
    *, token: uuid.UUID | str, user: User, purpose: str, write: Callable[[], str]
) -> str:
    """The one way a form writes once: spend its token and run `write` in one transaction.
    `write` returns the page the submission leads to, kept for a repeat (AlreadySubmitted
    names it); an error in `write` rolls back and leaves the token to be sent again."""
    with transaction.atomic():
        spent = spend_form_token(token=token, user=user, purpose=purpose)
        url = write()
        record_outcome(spent=spent, url=url)
    return url


def forget_old_tokens(*, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Tokens are kept a month: a page older than that is not resubmitted by accident."""
    deleted, _ = FormToken.objects.filter(spent_at__lt=timezone.now() - older_than).delete()
    return deleted
