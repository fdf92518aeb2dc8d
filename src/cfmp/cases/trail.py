"""A case's trail in words (issue 17): every state, level, kind and category by its label,
in the reader's language, never as a code. Events written before the trail kept levels
and categories in their own fields show their note as it was written."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cfmp.cases.models import Action, Case, CaseEvent, Level
from cfmp.feedback.models import Category

Kind = CaseEvent.Kind


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _why(text: str, note: str) -> str:
    return _("%(what)s: “%(why)s”") % {"what": text, "why": note} if note else text


# Events whose note is a user name, an action's code or a count, never a person's words.
_NOTES_NOT_WRITTEN = frozenset({Kind.ASSIGNED, Kind.ESCALATED, Kind.ACTION, Kind.CITIZEN_THANKED})


def _whole(text: str) -> str:
    return text


def full_names(events: list[CaseEvent]) -> dict[str, str]:
    """The full names of the users the trail's assignments and escalations name by user
    name (one query), for `describe(names=...)`."""
    from cfmp.accounts.models import User

    wanted = {e.note for e in events if e.kind in (Kind.ASSIGNED, Kind.ESCALATED) and e.note}
    if not wanted:
        return {}
    return {
        user.username: user.get_full_name() or user.username
        for user in User.objects.filter(username__in=wanted)
    }


def describe(
    event: CaseEvent,
    *,
    mask: Callable[[str], str] = _whole,
    names: dict[str, str] | None = None,
) -> str:
    """One line of the trail, as a sentence. `mask`: how this reader may read the reasons
    people wrote (`cases.privacy.CaseText`); user names and codes are not masked. `names`:
    user names to show as full names (`full_names`)."""
    kind, note = event.kind, event.note
    if kind in (Kind.ASSIGNED, Kind.ESCALATED) and names:
        note = names.get(note, note)
    if kind not in _NOTES_NOT_WRITTEN:
        note = mask(note)
    if kind == Kind.OPENED:
        return _why(_("Case opened"), note)
    if kind == Kind.JOINED:
        return _why(_("A complaint joined the case"), note)
    if kind == Kind.STATE:
        text = _("State changed from “%(from)s” to “%(to)s”") % {
            "from": _label(Case.State, event.from_state),
            "to": _label(Case.State, event.to_state),
        }
        return _why(text, note)
    if kind == Kind.ASSIGNED:
        if not event.to_state:
            return _("Assigned: %(note)s") % {"note": note}
        return _("Assigned to %(user)s (%(level)s)") % {
            "user": note,
            "level": _label(Level, event.to_state),
        }
    if kind == Kind.ESCALATED:
        if not event.to_state:
            return _("Escalated: %(note)s") % {"note": note}
        levels = {"from": _label(Level, event.from_state), "to": _label(Level, event.to_state)}
        if note:
            return _("Escalated from the %(from)s to the %(to)s, now with %(user)s") % {
                **levels,
                "user": note,
            }
        return _("Escalated from the %(from)s to the %(to)s, where nobody holds the post") % levels
    if kind == Kind.ACTION:
        return _("Action recorded: %(action)s") % {"action": _label(Action.Kind, note)}
    if kind == Kind.VIEWED:
        return _("Evidence viewed")
    if kind == Kind.CITIZEN_THANKED:
        if note.isdigit():
            count = int(note)
            return ngettext(
                "%(count)d citizen told that action was taken",
                "%(count)d citizens told that action was taken",
                count,
            ) % {"count": count}
        return _("Citizens told that action was taken: %(note)s") % {"note": note}
    categories = {
        "from": _label(Category, event.from_state),
        "to": _label(Category, event.to_state),
    }
    if kind == Kind.CORRECTED:
        text = _("A complaint's category corrected from “%(from)s” to “%(to)s”") % categories
        return _why(text, note)
    if kind == Kind.WITHDRAWN:
        text = (
            _("A complaint left the case: its category was corrected from “%(from)s” to “%(to)s”")
            % categories
        )
        return _why(text, note)
    return _why(_label(Kind, kind), note)
