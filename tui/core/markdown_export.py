"""The plan as a plain Markdown document, to print or to send to the specialist.

Plan text reads in a Markdown viewer exactly as it was written: nothing in it becomes a
heading, a list, emphasis or a link, and no control character is passed on.
"""

import re
from collections.abc import Container

from tui.core.countries import country_number_lines
from tui.core.dates import spelled_out
from tui.core.history import described, history_of, newest_first, shown_time
from tui.core.plan import (
    MEETING,
    OBJECTIONS,
    PEOPLE,
    PLAN,
    SAFETY,
    SPECIALIST,
    TREATMENTS,
    Part,
    Plan,
    choice_name,
    counted,
    display_name,
    field_of,
    format_duration,
    person_name,
)
from tui.core.safe_text import strip_controls

NOT_FILLED_IN = "Not filled in yet."
NOT_YET = "not filled in yet"
LAST_CHANGES_SHOWN = 10


def plan_markdown(tables: dict[str, list[dict]], countries: dict | None = None) -> str:
    """A plain document to print or send to the specialist; countries (countries.Country by
    code) give the phone numbers of the plan's country."""
    plan = Plan.from_tables(tables)
    aftercare = plan.records["aftercare"]
    blocks = [
        f"# {literal_line(plan.title) or 'Intervention plan'}",
        *_country_blocks(plan.country, countries or {}),
        "## People, in speaking order",
        *(_people_blocks(plan) or [NOT_FILLED_IN]),
        "## The specialist",
        *_singleton_blocks(SPECIALIST, plan.records["specialist"]),
        "## The meeting",
        *_singleton_blocks(MEETING, plan.records["meeting"]),
        "## Safety at the meeting",
        *_singleton_blocks(SAFETY, plan.records["safety"]),
        "## Tasks, by who sees to them",
        *(_task_blocks(plan) or [NOT_FILLED_IN]),
        "## On the day",
        day_checklist_lines(plan) or NOT_FILLED_IN,
        "## Treatment options",
        *_list_blocks(TREATMENTS, plan.lists["treatments"]),
        "## Objections and answers",
        *_list_blocks(OBJECTIONS, plan.lists["objections"]),
        "## Follow-up after treatment",
        literal_paragraphs(aftercare["follow_up"]) or NOT_FILLED_IN,
        "## If treatment is refused",
        literal_paragraphs(aftercare["if_refused"]) or NOT_FILLED_IN,
        *_rehearsal_date_blocks(plan),
        *_rehearsal_blocks(plan),
        *_last_changes_blocks(tables, plan),
    ]
    return "\n\n".join(blocks) + "\n"


def _country_blocks(code: str, countries: dict) -> list[str]:
    """The plan's country, and the phone numbers the guide gives for it."""
    name = choice_name(field_of(PLAN, "country"), code)
    heading = f"## Country: {name}"
    country = countries.get(code)
    if country is None:
        return [heading]
    return [heading, "\n".join(f"- {line}" for line in country_number_lines(country))]


def _people_blocks(plan: Plan) -> list[str]:
    blocks = []
    for place, person in enumerate(plan.people, start=1):
        skip = {"name", "order"}
        if person["attending"] and not person["read_by"]:
            skip.add("read_by")
        if not person["enabled"] and not person["enabling"].strip():
            skip.add("enabling")
        blocks.append(f"### {place}. {literal_line(display_name(PEOPLE, person))}")
        blocks += _record_blocks(PEOPLE, person, skip)
    return blocks


def _singleton_blocks(part: Part, record: dict) -> list[str]:
    if all(record[spec.name] == spec.default for spec in part.fields):
        return [NOT_FILLED_IN]
    return _record_blocks(part, record)


def _list_blocks(part: Part, records: list[dict]) -> list[str]:
    blocks = []
    for record in records:
        blocks.append(f"### {literal_line(display_name(part, record))}")
        blocks += _record_blocks(part, record, {part.label_field})
    return blocks or [NOT_FILLED_IN]


def _record_blocks(part: Part, record: dict, skip: Container[str] = ()) -> list[str]:
    """A list of the short fields, then each long text under its label."""
    short_lines, long_texts = [], []
    for spec in part.fields:
        if spec.name in skip:
            continue
        value = record[spec.name]
        if spec.kind == "long":
            text = literal_paragraphs(value)
            long_texts.append(f"{spec.label}:\n\n{text}" if text else f"{spec.label}: {NOT_YET}.")
        elif spec.kind == "bool":
            short_lines.append(f"- [{'x' if value else ' '}] {spec.label}")
        elif spec.kind == "duration":
            short_lines.append(f"- {spec.label}: {format_duration(value)}")
        elif spec.kind == "moment":
            short_lines.append(f"- {spec.label}: {literal_line(spelled_out(value)) or NOT_YET}")
        else:
            short_lines.append(f"- {spec.label}: {literal_line(value) or NOT_YET}")
    return ["\n".join(short_lines), *long_texts] if short_lines else long_texts


def _task_blocks(plan: Plan) -> list[str]:
    """Each person's tasks under their name, in speaking order, then those nobody sees to:
    open ones first, the earliest due first."""
    by_owner: dict[str, list[dict]] = {}
    for task in plan.lists["tasks"]:
        by_owner.setdefault(task["owner"], []).append(task)
    blocks = []
    for owner in [*(person["id"] for person in plan.people), ""]:
        tasks = sorted(by_owner.get(owner, []), key=lambda t: (t["done"], t["due"] or "9"))
        if tasks:
            name = literal_line(person_name(plan, owner)) if owner else "Nobody yet"
            blocks += [f"### {name}", "\n".join(map(_task_line, tasks))]
    return blocks


def _task_line(task: dict) -> str:
    due = f" (due {spelled_out(task['due'])})" if task["due"] else ""
    title = literal_line(task["title"]) or "(unnamed task)"
    return f"- [{'x' if task['done'] else ' '}] {title}{due}"


def day_checklist_lines(plan: Plan, ticks: tuple[str, str] = ("[x]", "[ ]")) -> str:
    """The checklist for the day, one line each with who sees to it; ticks are the marks
    for an item that is ready and one that is not."""
    return "\n".join(
        f"- {ticks[0] if item['done'] else ticks[1]} "
        f"{literal_line(item['item']) or '(unnamed item)'}"
        f" — {literal_line(person_name(plan, item['owner']))}"
        for item in plan.lists["checklist"]
    )


def _rehearsal_date_blocks(plan: Plan) -> list[str]:
    dates = plan.lists["rehearsal_dates"]
    if not dates:
        return []
    lines = [
        f"- {literal_line(spelled_out(row['when'])) or 'No date yet'}"
        + (f", at {literal_line(row['place'])}" if row["place"] else "")
        for row in dates
    ]
    return ["## Rehearsal dates", "\n".join(lines)]


def _rehearsal_blocks(plan: Plan) -> list[str]:
    rehearsals = {person["id"]: plan.rehearsals_of(person["id"]) for person in plan.people}
    if not any(rehearsals.values()):
        return []
    lines = [_rehearsal_line(person, rehearsals[person["id"]]) for person in plan.people]
    return ["## Rehearsals", "\n".join(lines)]


def _rehearsal_line(person: dict, rehearsals: list) -> str:
    """rehearsals: the person's rehearsal.Attempt readings, oldest first."""
    name = _literal_line_start(literal_line(display_name(PEOPLE, person)))
    times = [rehearsal.seconds for rehearsal in rehearsals]
    if not times:
        return f"- {name}: not rehearsed yet."
    count = counted(len(times), "attempt", "attempts")
    last, best = format_duration(times[-1]), format_duration(min(times))
    target = format_duration(person["target_seconds"])
    return f"- {name}: {count}; last {last}, best {best} (target {target})."


def _last_changes_blocks(tables: dict[str, list[dict]], plan: Plan) -> list[str]:
    """The newest LAST_CHANGES_SHOWN changes: when, who, what."""
    changes = newest_first(history_of(tables))[:LAST_CHANGES_SHOWN]
    if not changes:
        return []
    lines = [
        f"- {shown_time(change)}, {literal_line(change.who)}: "
        + literal_line(described(change, plan))
        for change in changes
    ]
    return ["## Last changes", "\n".join(lines)]


def literal_line(text: str) -> str:
    """One-line plan text, to stand in a heading or after a label."""
    line = _literal_inline(strip_controls(text).strip())
    return _MARKDOWN_CLOSING_HASHES.sub(r"\1\\\2", line)


def literal_paragraphs(text: str) -> str:
    """Multi-line plan text; spaces at the ends of lines go, or a viewer would break them."""
    lines = strip_controls(text, multiline=True).strip().split("\n")
    return "\n".join(_literal_line_start(_literal_inline(line.rstrip())) for line in lines)


# Plan text must read in a Markdown viewer exactly as it was written, so what a viewer
# would take as Markdown is escaped with a backslash; harmless punctuation is left as it
# is, so that the file stays easy to read. Anywhere in a line, these would start emphasis,
# code, a link, inline HTML, strikethrough or a table cell, and "&amp;" would show as "&":
_MARKDOWN_INLINE = re.compile(r"[\\`*_\[<|~]|&(?=#?[0-9A-Za-z]+;)")
# at the end of a heading, " #" would be taken as its closing mark and not shown;
_MARKDOWN_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
# and at the start of a line, these would make a heading, a quote, a list item, a rule or
# (":-" under a line with "|") a table.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+=:-])")
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def _literal_inline(line: str) -> str:
    return _MARKDOWN_INLINE.sub(r"\\\g<0>", line)


def _literal_line_start(line: str) -> str:
    line = _MARKDOWN_LINE_START.sub(r"\1\\\2", line)
    return _MARKDOWN_NUMBERED.sub(r"\1\\\2", line)
