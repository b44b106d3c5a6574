"""`steelwatch help COMMAND` answers for every command the project adds, the analytics ones included."""

import pytest
from django.core.management import get_commands

from steelwatch.cli import ANALYTICS_COMMANDS, main

PROJECT_COMMANDS = sorted(name for name, app in get_commands().items() if app.startswith("steelwatch"))


@pytest.mark.parametrize("name", PROJECT_COMMANDS + sorted(ANALYTICS_COMMANDS))
def test_help_works_for_every_command(name, capsys):
    assert main(["steelwatch", "help", name.replace("_", "-")]) == 0
    out = capsys.readouterr()
    assert "usage:" in out.out and "Unknown command" not in out.err
