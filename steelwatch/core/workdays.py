"""Working-day deadlines (handover in 1 working day, verification in 10)."""

import datetime

from django.conf import settings


def _holidays() -> set[datetime.date]:
    return {datetime.date.fromisoformat(d) for d in getattr(settings, "STEELWATCH_HOLIDAYS", [])}


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    day, remaining = start, days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
