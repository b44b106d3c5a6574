"""Shared shape of the periodic commands: `--date YYYY-MM-DD` (default today) → `handle_day(today)`."""

import datetime

from django.core.management.base import BaseCommand, CommandError


class DatedCommand(BaseCommand):
    """A command that computes deadlines as of one day; subclasses implement `handle_day(today)`."""

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="按此日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date="", **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date 应为 YYYY-MM-DD，实际为“{date}”") from None
        self.handle_day(today)

    def handle_day(self, today: datetime.date | None) -> None:
        raise NotImplementedError
