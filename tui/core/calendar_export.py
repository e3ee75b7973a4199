"""The plan's dates as an iCalendar file (RFC 5545), for phone and desktop calendars: the
meeting, the rehearsal dates, and each task that has a due date, with who sees to it.

Times are written in UTC, which every calendar reads and shows in its own time zone; a day
without a time is an all-day event. The meeting and each rehearsal are given an hour. Each
event keeps its id from one export to the next, so importing a newer file updates the
events instead of doubling them. An event says no more than the plan's name, a task's title
and a place: a calendar is often seen by others.
"""

from datetime import UTC, date, datetime, timedelta

from tui.core.dates import moment_of
from tui.core.plan import Plan, person_name

EVENT_LENGTH = timedelta(hours=1)
PRODUCT = "-//Kindred//Kindred plan//EN"


def plan_calendar(tables: dict[str, list[dict]], now: datetime) -> bytes:
    """The calendar file's bytes; ``now`` (with a time zone) is when it was made."""
    from icalendar import Calendar  # here, as the other exports never need it

    plan = Plan.from_tables(tables)
    name = " ".join(plan.title.split()) or "Family plan"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    meeting = plan.records["meeting"]
    events = [_timed("meeting", f"{name}: the meeting", meeting["when"], meeting["place"])]
    events += [
        _timed(f"rehearsal-{row['id']}", f"{name}: rehearsal", row["when"], row["place"])
        for row in plan.lists["rehearsal_dates"]
    ]
    events += [
        _task(task, person_name(plan, task["owner"])) for task in plan.lists["tasks"] if task["due"]
    ]
    for event in events:
        if event is not None:
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    return calendar.to_ical()


def _timed(uid: str, summary: str, when: str, place: str):
    """An event at a stored moment, or None when it is not a real date (or is one so near
    the end of the calendar that its end would fall outside it)."""
    span = _span(moment_of(when))
    if span is None:
        return None
    event = _event(uid, summary, span)
    if place:
        event.add("location", place)
    return event


def _span(moment: date | datetime | None) -> tuple[date, date] | None:
    """When an event at a stored moment starts and ends: in UTC for a time, the whole day
    for a day."""
    try:
        if isinstance(moment, datetime):
            start = moment.astimezone(UTC)
            return start, start + EVENT_LENGTH
        if isinstance(moment, date):
            return moment, moment + timedelta(days=1)
    except (ValueError, OverflowError):
        pass
    return None


def _task(task: dict, owner: str):
    span = _span(moment_of(task["due"]))
    assert span is not None  # a task's due date is a day from 1900 to 2999
    title = task["title"] or "(unnamed task)"
    event = _event(f"task-{task['id']}", f"{title} (done)" if task["done"] else title, span)
    event.add("description", f"Who sees to it: {owner}.")
    return event


def _event(uid: str, summary: str, span: tuple[date, date]):
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@kindred.invalid")
    event.add("summary", summary)
    event.add("dtstart", span[0])
    event.add("dtend", span[1])
    return event
