"""The plan's tasks and the checklist for the day: what Kindred offers to start with, what is
due, and how many days are left. Functions that depend on the day take ``today``.

What is offered, and when (the README says the same):

- A new plan, with its first change, gets the starting tasks of its approach (the steps of the
  guide's "Five steps to prepare", each linked to where the guide explains it) and the
  checklist for the day. From then on they are the family's to change, tick or delete.
- When the approach changes, the tasks that only the new approach has are added, and the
  starting tasks that only the old one had are taken away if nobody has changed them (no
  one sees to them, no due date, not done, title and guide link as offered). A plan with no
  tasks at all, or no checklist, is offered the whole list again.
- Otherwise Kindred never adds or removes a task or a checklist item.

A starting task's id is ``start-`` and its key, a checklist item's ``day-`` and its key: that
is how an offered record is known again.
"""

from collections import namedtuple
from datetime import date

from tui.core.approaches import CRAFT_FIRST, INVITATIONAL, NOT_CHOSEN, SURPRISE
from tui.core.dates import days_until
from tui.core.plan import Plan, person_name

DUE_SOON_DAYS = 7


class Offered(namedtuple("Offered", ("key", "title", "guide_link"))):
    """A task Kindred offers; ``guide_link`` is where the guide explains it."""

    __slots__ = ()

    def record(self) -> dict:
        return {
            "id": f"start-{self.key}",
            "title": self.title,
            "owner": "",
            "due": "",
            "done": False,
            "guide_link": self.guide_link,
        }


_TREATMENT = "preparation-steps#arrange-treatment-in-advance"
_GROUP = "preparation-steps#choose-the-group"
NALOXONE = Offered(
    "naloxone", "Get naloxone, and learn how to give it", "staying-safe#getting-naloxone"
)
MEETING_STEPS = (
    Offered(
        "find-specialist",
        "Find an addiction specialist",
        "preparation-steps#find-an-addiction-specialist",
    ),
    Offered("agree-group", "Agree who takes part", _GROUP),
    Offered("children", "Arrange for any children to be looked after elsewhere", _GROUP),
    Offered("choose-treatment", "Choose the treatment to offer", "treatment-options"),
    Offered("book-intake", "Book the intake, and ask for a bed to be held", _TREATMENT),
    Offered("cost", "Sort out the cost: insurance, and who pays what", _TREATMENT),
    Offered("transport", "Arrange transport, and decide who drives", _TREATMENT),
    Offered("bag", "Pack a bag with clothes and essentials", _TREATMENT),
    Offered("medicines", "List every medicine your loved one takes", _TREATMENT),
    Offered(
        "setting", "Choose the place and the time of day", "preparation-steps#choose-the-setting"
    ),
    Offered("statements", "Write the statements", "three-messages"),
    Offered(
        "rehearse", "Plan a rehearsal with everyone, and rehearse", "preparation-steps#rehearse"
    ),
)
APPROACH_STEPS = {
    NOT_CHOSEN: (Offered("choose-approach", "Choose the approach together", "approaches"),),
    SURPRISE: (Offered("keep-private", "Keep the plan private until the day", _GROUP),),
    INVITATIONAL: (
        Offered("agree-invitation", "Agree what the invitation says, and who gives it", _GROUP),
        Offered(
            "invite",
            "Invite your loved one, and say who will be there",
            "approaches#2-invitational-meeting-for-example-arise",
        ),
    ),
    CRAFT_FIRST: (
        Offered(
            "find-craft-counsellor",
            "Find a CRAFT counsellor or programme",
            "approaches#3-craft-first",
        ),
        Offered(
            "plan-safety",
            "Plan for safety if anyone fears violence",
            "approaches#when-craft-should-come-first",
        ),
        Offered(
            "family-support",
            "Find support for yourselves",
            "looking-after-yourself#support-for-families-and-friends",
        ),
    ),
}
DAY_CHECKLIST = (
    ("id-card", "ID and insurance card for the intake"),
    ("bag", "The packed bag"),
    ("driver", "Someone to drive, and the car ready"),
    ("intake-time", "The intake time, confirmed with the service"),
    ("medicines", "The list of your loved one's medicines"),
    ("statements", "Printed statements"),
    ("naloxone", "Naloxone, and who holds it"),
    ("phones", "Charged phones"),
    ("specialist-number", "The specialist's phone number"),
)


def starting_tasks(approach: str) -> list[dict]:
    """The tasks offered for an approach, as records of the tasks part."""
    steps = APPROACH_STEPS.get(approach, ())
    if approach != CRAFT_FIRST:
        steps += MEETING_STEPS
    return [step.record() for step in (*steps, NALOXONE)]


def day_checklist() -> list[dict]:
    """The checklist offered for the day, as records of the checklist part."""
    return [
        {"id": f"day-{key}", "item": item, "owner": "", "done": False}
        for key, item in DAY_CHECKLIST
    ]


def offer_for_new_plan(approach: str) -> dict[str, list[dict]]:
    """What a new plan gets with its first change, by table."""
    return {"tasks": starting_tasks(approach), "checklist": day_checklist()}


def offer_for_new_approach(
    tasks: list[dict], checklist: list[dict], old: str, new: str
) -> tuple[dict[str, list[dict]], list[str]]:
    """What changes when the approach changes from old to new: the records to add, by table,
    and the ids of the tasks to take away. ``tasks`` and ``checklist`` are as stored."""
    offered_before = {record["id"]: record for record in starting_tasks(old)}
    offered_now = starting_tasks(new)
    if tasks:
        present = {task["id"] for task in tasks}
        added = [
            record
            for record in offered_now
            if record["id"] not in offered_before and record["id"] not in present
        ]
    else:
        added = offered_now
    still_offered = {record["id"] for record in offered_now}
    taken_away = [
        task["id"]
        for task in tasks
        if task["id"] in offered_before
        and task["id"] not in still_offered
        and _as_offered(task, offered_before[task["id"]])
    ]
    additions = {"tasks": added, "checklist": [] if checklist else day_checklist()}
    return additions, taken_away


def _as_offered(task: dict, offered: dict) -> bool:
    return all(task.get(name, value) == value for name, value in offered.items())


class DueTask(namedtuple("DueTask", ("task", "owner", "days"))):
    """An open task with a due date: the task's record, the name of whoever sees to it
    ("nobody yet" if nobody does), and the days from today to its due date (0 when it is
    due today, negative when it is overdue)."""

    __slots__ = ()

    @property
    def overdue(self) -> bool:
        return self.days < 0


def tasks_due(plan: Plan, today: date, within_days: int = DUE_SOON_DAYS) -> list[DueTask]:
    """Open tasks that are overdue or due today or within the next seven days: overdue
    first, then by due date (the earliest first), then by title."""
    found = []
    for task in plan.lists["tasks"]:
        days = days_until(task["due"], today)
        if task["done"] or days is None or days > within_days:
            continue
        found.append(DueTask(task, person_name(plan, task["owner"]), days))
    return sorted(found, key=lambda due: (due.days, due.task["title"].casefold()))


def overdue_tasks(plan: Plan, today: date) -> list[DueTask]:
    """Open tasks whose due date has passed, the longest overdue first."""
    return [due for due in tasks_due(plan, today) if due.overdue]


def days_left(plan: Plan, today: date) -> int | None:
    """Days from today to the meeting's day (0 on the day, negative after it), or None when
    the meeting has no real date yet."""
    return days_until(plan.records["meeting"]["when"], today)
