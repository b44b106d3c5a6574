"""Periodic reminders that apps above `cases` and `tips` contribute to `steelwatch run-reminders` without
the command importing them: each registers `fn(today) -> str` (a one-line summary) in its AppConfig.ready()."""

import datetime
from collections.abc import Callable

Reminder = Callable[[datetime.date | None], str]
REMINDERS: dict[str, Reminder] = {}


def register_reminder(name: str, reminder: Reminder) -> None:
    REMINDERS[name] = reminder


def run_registered(today: datetime.date | None) -> list[str]:
    return [reminder(today) for reminder in REMINDERS.values()]
