"""Calendar arithmetic that retention rules share."""

from __future__ import annotations

import calendar
from datetime import date, datetime


def add_months[D: (date, datetime)](moment: D, months: int) -> D:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
