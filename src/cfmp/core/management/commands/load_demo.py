from django.core.management.base import BaseCommand

from cfmp.core.demo import DEMO_USERS, create_demo_users, load_demo_registry


class Command(BaseCommand):
    help = (
        "Load demo offices and officials and create one demo user per role. Safe to re-run; "
        "the demo users' password is printed once, when they are created."
    )

    def handle(self, *args, **options) -> None:
        offices = load_demo_registry()
        created, password = create_demo_users()
        self.stdout.write(f"demo registry: {offices} offices with their officials")
        if password is None:
            self.stdout.write(
                "demo users already exist (their password was printed when they were created; "
                "reset one with `cfmp changepassword USERNAME`)"
            )
            return
        width = max(len(d.username) for d in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS("demo users created, one per role:"))
        for demo in DEMO_USERS:
            if demo.username in created:
                self.stdout.write(f"  {demo.username.ljust(width)}  {demo.role.label}")
        self.stdout.write(
            self.style.WARNING(f"password for all of them (shown only now): {password}")
        )
