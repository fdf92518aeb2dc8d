"""`cfmp demo-users`: the demo's users and their password, again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cfmp.core.demo import demo_users_text


class Command(BaseCommand):
    help = "Show the demo users, their roles and (in the demo) their password."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(demo_users_text())
