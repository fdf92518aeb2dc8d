from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cfmp.intake.models import SourceSystem, SourceToken
from cfmp.intake.services import issue_source_token, revoke_source_token
from cfmp.registry.models import Department, Office


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


class Command(BaseCommand):
    help = "Manage source systems (departmental systems submitting transactions) and API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create or update a source system.")
        add.add_argument("code")
        add.add_argument("--name", default="")
        add.add_argument(
            "--departments", default="", help="Comma-separated department codes it may write for."
        )
        add.add_argument(
            "--offices", default="", help="Comma-separated office codes it may write for."
        )
        sub.add_parser("list", help="List source systems and their tokens.")
        token = sub.add_parser("token", help="Issue an API token (printed once).")
        token.add_argument("code")
        token.add_argument("--label", default="")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    @transaction.atomic
    def _add(self, *, code: str, name: str, departments: str, offices: str, **_) -> None:
        source, created = SourceSystem.objects.update_or_create(
            code=code, defaults={"name": name or code, "is_active": True}
        )
        department_objs = list(Department.objects.filter(code__in=_codes(departments)))
        office_objs = list(Office.objects.filter(code__in=_codes(offices)))
        unknown = sorted(
            (set(_codes(departments)) - {d.code for d in department_objs})
            | (set(_codes(offices)) - {o.code for o in office_objs})
        )
        if unknown:
            raise CommandError(f"unknown department or office code(s): {', '.join(unknown)}")
        source.departments.set(department_objs)
        source.offices.set(office_objs)
        self.stdout.write(f"{'created' if created else 'updated'} source {code}")

    def _list(self, **_) -> None:
        for source in SourceSystem.objects.prefetch_related("departments", "offices", "tokens"):
            scope = (
                ", ".join(
                    [d.code for d in source.departments.all()]
                    + [o.code for o in source.offices.all()]
                )
                or "no offices"
            )
            self.stdout.write(f"{source.code}\t{source.name}\t{scope}")
            for token in source.tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"  token {token.prefix}…\t{state}\t{token.label}")

    def _token(self, *, code: str, label: str, **_) -> None:
        source = SourceSystem.objects.filter(code=code).first()
        if source is None:
            raise CommandError(f"unknown source {code!r}")
        _token, key = issue_source_token(source=source, label=label)
        self.stdout.write(key)
        self.stderr.write(
            "keep this key: it is shown only now (send it as 'Authorization: Token <key>')"
        )

    def _revoke(self, *, prefix: str, **_) -> None:
        tokens = list(SourceToken.objects.filter(prefix__startswith=prefix))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} tokens match {prefix!r}; give more characters")
        revoke_source_token(token=tokens[0])
        self.stdout.write(f"revoked {tokens[0]}")
