"""`steelwatch`: Django's management commands and the project's own, with dashed names allowed.

`steelwatch simulate|detect|evaluate` run the analytics package directly (no database needed).
"""

import os
import sys

ANALYTICS_COMMANDS = {"simulate", "detect", "evaluate"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ANALYTICS_COMMANDS:
        from analytics.cli import main as analytics_main

        return analytics_main(argv[1:])
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steelwatch.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
