"""The `cfmp` console script: Django's manage.py for this project.

Every Django command works (`cfmp migrate`, `cfmp createsuperuser`, ...), and the
project's own commands can be spelled with dashes, as the README writes them:
`cfmp import-registry` runs the `import_registry` command.
"""

from __future__ import annotations

import os
import sys


def command_name_from_cli(name: str) -> str:
    return name.replace("-", "_") if not name.startswith("-") else name


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "cfmp"
    if len(args) > 1:
        args[1] = command_name_from_cli(args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
