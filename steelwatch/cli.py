"""`steelwatch`: Django's management commands and the project's own, with dashed names allowed.

`steelwatch simulate|detect|evaluate|coarsen|detect-areas` run the analytics package directly (no database needed).
"""

import os
import sys

ANALYTICS_COMMANDS = {"simulate", "detect", "evaluate", "coarsen", "detect-areas"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ANALYTICS_COMMANDS:
        from analytics.cli import main as analytics_main

        return analytics_main(argv[1:])
    if argv[1:2] == ["help"] and len(argv) > 2 and argv[2] in ANALYTICS_COMMANDS:
        from analytics.cli import main as analytics_main

        try:  # `steelwatch help simulate` is `steelwatch simulate --help`
            return analytics_main([argv[2], "--help"])
        except SystemExit as done:
            return int(done.code or 0)
    command_at = 2 if argv[1:2] == ["help"] else 1  # `steelwatch help import-ledger` too
    if len(argv) > command_at and not argv[command_at].startswith("-"):
        argv[command_at] = argv[command_at].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steelwatch.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
