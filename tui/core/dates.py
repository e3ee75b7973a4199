"""Dates and times as the plan holds them: typed in plain forms, stored as ISO 8601.

A moment (the meeting, a rehearsal) is a day, or a day and a time of day: typed as
``2026-12-20 18:30`` (or ``2026-12-20``, ``2026-12-20 6:30pm``, ``2026-12-20 6pm``), stored as
``2026-12-20T18:30:00+00:00`` with the offset the local time zone has on that day, or as
``2026-12-20`` alone. A day (a task's due date) is stored as ``2026-12-20``. Functions that
depend on today take it as a parameter.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

EXAMPLE_MOMENT = "2026-12-20 18:30"
EXAMPLE_DAY = "2026-12-20"
FIRST_YEAR, LAST_YEAR = 1900, 2999
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Compiled when first used (re keeps them), not when the command-line tools start.
_DAY = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_MOMENT = (
    r"^" + _DAY + r"(?:(?:\s+|\s*[T,]\s*|\s+at\s+)"
    r"(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*(am|pm|a\.m\.|p\.m\.)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)


class DateError(ValueError):
    """A date or time that was refused, with the reason in plain words."""


def parse_moment(text: str) -> str:
    """The stored form of a typed day, or day and time; "" for nothing typed."""
    text = text.strip()
    if not text:
        return ""
    match = re.match(_MOMENT, text, re.IGNORECASE)
    if not match:
        raise DateError(
            f"{_shown(text)} is not a date Kindred can read: write the year, month and day, "
            f"and the time if you know it, like {EXAMPLE_MOMENT}."
        )
    year, month, day, hour, minute, second, half, offset = match.groups()
    on = _day(year, month, day, text)
    if hour is None:
        return on.isoformat()
    if minute is None and half is None:
        raise DateError(f"Write the time with its minutes, like {EXAMPLE_MOMENT}, or as 6pm.")
    at = _time_of_day(int(hour), int(minute or 0), int(second or 0), half)
    moment = datetime.combine(on, at)
    zone = _offset(offset) if offset else _local_offset(moment)
    return moment.replace(tzinfo=zone).isoformat()


def parse_day(text: str) -> str:
    """The stored form of a typed day, like 2026-12-20; "" for nothing typed."""
    text = text.strip()
    if not text:
        return ""
    match = re.match("^" + _DAY + "$", text)
    if not match:
        raise DateError(
            f"{_shown(text)} is not a date Kindred can read: write the year, month and day, "
            f"like {EXAMPLE_DAY}."
        )
    year, month, day = match.groups()
    return _day(year, month, day, text).isoformat()


def _day(year: str, month: str, day: str, text: str) -> date:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise DateError(f"{_shown(text)}: the year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    if not 1 <= int(month) <= 12:
        raise DateError(f"{_shown(text)}: the month must be from 1 to 12 (year-month-day).")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise DateError(
            f"{_shown(text)}: {MONTHS[int(month) - 1]} {year} has no day {int(day)}."
        ) from None


def _time_of_day(hour: int, minute: int, second: int, half: str | None) -> time:
    if half:
        if not 1 <= hour <= 12:
            raise DateError("With am or pm, the hour must be from 1 to 12, like 6:30pm.")
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError("The time must be between 00:00 and 23:59, like 18:30.")
    return time(hour, minute, second)


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise DateError(f"{text} is not a time zone offset: write it like +01:00.")
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _local_offset(moment: datetime) -> timezone:
    """The offset of the local time zone at this time on this day (summer time or not);
    today's at the very ends of the calendar, where the local time cannot be worked out."""
    local = in_local_time(moment)
    if local.tzinfo is None:
        local = datetime.now().astimezone()
    offset = local.utcoffset()
    assert offset is not None  # astimezone() always gives a time zone
    return timezone(offset)


def in_local_time(moment: datetime) -> datetime:
    """The moment in the local time zone, or as it is when that would fall outside the
    calendar (the first and last days of years 1 and 9999)."""
    try:
        return moment.astimezone()
    except (ValueError, OverflowError):
        return moment


def day_and_time(moment: datetime) -> str:
    """2026-12-20 18:30, the year always in four digits (strftime's %Y drops the zeros)."""
    return f"{moment.date().isoformat()} {moment:%H:%M}"


def _shown(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:30] + "…")


def moment_of(value: str) -> date | datetime | None:
    """The day (a date) or day and time (a datetime with its offset) that a stored value
    holds, or None when it holds none: empty, or text written before dates were real dates."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        if len(value) == len("2026-12-20"):
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def day_of(value: str) -> date | None:
    """The day a stored moment or day falls on (as written, in its own time zone)."""
    moment = moment_of(value)
    return moment.date() if isinstance(moment, datetime) else moment


def typed_form(value: str) -> str:
    """A stored moment as a person would type it: 2026-12-20 18:30, with the offset only
    when it is not the local time zone's on that day. Other text is given back as it is."""
    moment = moment_of(value)
    if not isinstance(moment, datetime):
        return value
    shown = day_and_time(moment)
    if moment.second:
        shown += f":{moment:%S}"
    if moment.utcoffset() != _local_offset(moment.replace(tzinfo=None)).utcoffset(None):
        shown += " " + moment.isoformat()[-6:]
    return shown


def spelled_out(value: str) -> str:
    """A stored moment in words, like "Sunday 20 December 2026, 18:30"; other text as it is."""
    moment = moment_of(value)
    if moment is None:
        return value
    words = f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if isinstance(moment, datetime):
        return f"{words}, {typed_form(value)[len('2026-12-20 ') :]}"
    return words


def days_until(value: str, today: date) -> int | None:
    """Whole days from today to the stored moment's day (0 on the day, negative after it),
    or None when the value is not a real date."""
    day = day_of(value)
    return None if day is None else (day - today).days
