"""Who changed what: the plan's change history, kept in the plan file itself.

Every change made through an editing session (tui.core.session), and every import, adds an
entry to the table HISTORY_TABLE in the same save as the change: who made it (the account
name), when (UTC), what kind of change it was, where (the part's table, the record's id and
the field) and, for an edit, the value before and after. Text values longer than VALUE_LIMIT
are kept cut, marked so: a cut value is shown but cannot be put back.

The history is bounded: a save keeps the newest HISTORY_LIMIT entries and drops the oldest.
Dropping rather than thinning keeps the rule simple to explain ("the last 1,000 changes"), and
the plan's backups keep older states of the plan. Edits of one field by one person that follow
each other within EDIT_MERGE_SECONDS become one entry (the value before the first, after the
last), so that a statement typed in bursts takes one entry rather than one for every pause.

The plan must always open: an entry Kindred cannot read (a file edited by hand) is left out
of the history shown, and never stops the plan from opening. Pure core: no Textual here.
"""

import os
import pwd
from collections import namedtuple
from datetime import UTC, datetime, timedelta

from tui.core.dates import day_and_time, in_local_time
from tui.core.plan import (
    NAME_LIMIT,
    NOBODY_YET,
    PARTS_BY_TABLE,
    Field,
    Plan,
    choice_name,
    format_duration,
    is_moment,
    new_id,
    with_article,
)
from tui.core.safe_text import strip_controls

HISTORY_TABLE = "changes"
HISTORY_LIMIT = 1_000
VALUE_LIMIT = 500  # characters of a text value kept in an entry
EDIT_MERGE_SECONDS = 120
# What kind of change an entry records.
EDIT = "edit"
RESTORE = "restore"  # an earlier value put back
ADD = "add"
DELETE = "delete"
MOVE = "move"  # a person's place in the speaking order
ATTEMPT = "attempt"  # a timed reading of a statement
TRY = "try"  # a timed try at answering an objection
RUN = "run"  # a timed run-through of the whole meeting
IMPORT = "import"  # the whole plan replaced by an imported one
KINDS = (EDIT, RESTORE, ADD, DELETE, MOVE, ATTEMPT, TRY, RUN, IMPORT)
_VALUE_TYPES = (str, int, float, bool, type(None))


class Change(
    namedtuple(
        "Change",
        "at who kind table record_id field name before after before_cut after_cut",
        defaults=("", "", "", "", None, None, False, False),
    )
):
    """One entry of the history: when (ISO 8601 with the zone, in UTC), who, what kind of
    change, where (table, record id, field), and the values before and after. `name` is the
    record's name when it was changed (so that a deleted record can still be named);
    `before_cut` and `after_cut` say that a text value was longer than VALUE_LIMIT and is
    kept cut. A named tuple, not a dataclass: the command line's export and import start
    faster without that module."""

    __slots__ = ()

    def to_dict(self) -> dict:
        return self._asdict()

    @classmethod
    def from_dict(cls, row: object) -> "Change | None":
        """The entry in a stored row, or None if Kindred cannot read it."""
        if not isinstance(row, dict):
            return None
        text_fields = ("at", "who", "kind", "table", "record_id", "field", "name")
        values = {name: row.get(name, "") for name in text_fields}
        if not all(isinstance(value, str) for value in values.values()):
            return None
        if values["kind"] not in KINDS or not is_moment(values["at"]):
            return None
        before, after = row.get("before"), row.get("after")
        if not isinstance(before, _VALUE_TYPES) or not isinstance(after, _VALUE_TYPES):
            return None
        cut = row.get("before_cut", False), row.get("after_cut", False)
        if not all(isinstance(flag, bool) for flag in cut):
            return None
        return cls(**values, before=before, after=after, before_cut=cut[0], after_cut=cut[1])

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)  # a moment with a zone: from_dict checks it


def account_name() -> str:
    """The name of the account this program runs as (its effective user)."""
    uid = os.geteuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = f"user {uid}"
    return strip_controls(name)[:NAME_LIMIT]


def now_in_utc() -> datetime:
    return datetime.now(UTC)


def new_change(who: str, when: datetime, kind: str, **where_and_values) -> Change:
    """An entry made now; text values longer than VALUE_LIMIT are cut and marked so."""
    before = where_and_values.pop("before", None)
    after = where_and_values.pop("after", None)
    before, before_cut = _kept(before)
    after, after_cut = _kept(after)
    return Change(
        when.astimezone(UTC).isoformat(timespec="seconds"),
        who,
        kind,
        before=before,
        after=after,
        before_cut=before_cut,
        after_cut=after_cut,
        **where_and_values,
    )


def _kept(value: object) -> tuple[object, bool]:
    if isinstance(value, str) and len(value) > VALUE_LIMIT:
        return value[:VALUE_LIMIT], True
    return value, False


def imported_change(row: object) -> Change | None:
    """An entry from an imported file, cleaned as a change made here would be, or None if
    it is not one Kindred can read."""
    change = Change.from_dict(row)
    if change is None:
        return None
    texts = {name: strip_controls(getattr(change, name)) for name in ("who", "name")}
    before, before_cut = _kept(change.before)
    after, after_cut = _kept(change.after)
    return change._replace(
        **texts,
        before=before,
        after=after,
        before_cut=before_cut or change.before_cut,
        after_cut=after_cut or change.after_cut,
    )


def with_import_noted(entries: list[Change], who: str, when: datetime) -> list[dict]:
    """The history rows of a plan replaced by an import: entries, then the import itself,
    within HISTORY_LIMIT."""
    noted = [*entries, new_change(who, when, IMPORT)][-HISTORY_LIMIT:]
    return [_row(change) for change in noted]


def history_of(tables: dict[str, list[dict]]) -> list[Change]:
    """The entries in the plan's tables that Kindred can read, oldest first."""
    entries = (Change.from_dict(row) for row in tables.get(HISTORY_TABLE, []))
    return [entry for entry in entries if entry is not None]


def add_to_history(database, changes: list[Change]) -> None:
    """Add entries to the history in a store transaction's TinyDB, merging an edit into the
    newest entry where it continues it, and dropping the oldest beyond HISTORY_LIMIT."""
    if not changes:
        return
    table = database.table(HISTORY_TABLE)
    rows = table.all()
    newest = Change.from_dict(rows[-1]) if rows else None
    fresh = []
    for change in changes:
        if newest is not None and _continues(newest, change):
            merged = newest._replace(at=change.at, after=change.after, after_cut=change.after_cut)
            if merged.before == merged.after:  # typed back to what it was: no change left
                table.remove(doc_ids=[rows[-1].doc_id])
                rows.pop()
                newest = None
            else:
                table.update({**_row(merged), "id": rows[-1]["id"]}, doc_ids=[rows[-1].doc_id])
                newest = merged
        else:
            fresh.append(_row(change))
            newest = None
    numbers = [row.doc_id for row in rows] + table.insert_multiple(fresh)
    over = len(numbers) - HISTORY_LIMIT
    if over > 0:
        table.remove(doc_ids=numbers[:over])


def _row(change: Change) -> dict:
    return {"id": new_id(), **change.to_dict()}


def _continues(earlier: Change, later: Change) -> bool:
    """Whether later is the same person's further edit of the field earlier changed."""
    same_place = (earlier.table, earlier.record_id, earlier.field) == (
        later.table,
        later.record_id,
        later.field,
    )
    soon = later.moment - earlier.moment <= timedelta(seconds=EDIT_MERGE_SECONDS)
    return earlier.kind == later.kind == EDIT and earlier.who == later.who and same_place and soon


def newest_first(history: list[Change], who: str = "") -> list[Change]:
    """The entries, newest first; only those made by who, if given."""
    return [entry for entry in reversed(history) if not who or entry.who == who]


def people_in(history: list[Change]) -> list[str]:
    """Everyone who made a change, in order of their names."""
    return sorted({entry.who for entry in history}, key=str.lower)


def earlier_values(history: list[Change], table: str, record_id: str, field: str) -> list:
    """The values a field had before, that can be put back, newest first, without repeats:
    what each edit replaced and what it saved (texts kept cut cannot be put back)."""
    values: list = []
    for entry in reversed(history):
        if (entry.table, entry.record_id, entry.field) != (table, record_id, field):
            continue
        if entry.kind not in (EDIT, RESTORE):
            continue
        for value, cut in ((entry.after, entry.after_cut), (entry.before, entry.before_cut)):
            if not cut and value is not None and value not in values:
                values.append(value)
    return values


def shown_time(change: Change) -> str:
    """When, in the local time zone, to the minute: 2026-12-20 18:30."""
    return day_and_time(in_local_time(change.moment))


REHEARSAL_NOUNS = {
    "attempts": "a timed statement",
    "runs": "a run-through of the meeting",
    "objection_tries": "a timed answer to an objection",
}


def described(change: Change, plan: Plan) -> str:
    """What the change was, in words: "People (Anna), Statement: “…” → “…”"."""
    part = PARTS_BY_TABLE.get(change.table)
    title = part.title if part else change.table
    if part is None or part.singleton:
        place = title
    elif change.name.startswith("("):  # "(unnamed person)"
        place = f"{title}, {change.name}"
    else:
        place = f"{title} ({change.name})"
    item = part.item_name if part else "record"
    if change.kind in (EDIT, RESTORE):
        spec = (
            next((spec for spec in part.fields if spec.name == change.field), None)
            if part
            else None
        )
        label = spec.label if spec else change.field
        before = value_in_words(spec, change.before, plan, change.before_cut)
        after = value_in_words(spec, change.after, plan, change.after_cut)
        put_back = " (put back)" if change.kind == RESTORE else ""
        return f"{place}, {label}: {before} → {after}{put_back}"
    if change.kind == ADD:
        return f"Added {with_article(item)}" + (f": {change.name}" if change.name else "")
    if change.kind == DELETE and change.table in REHEARSAL_NOUNS:
        return f"Deleted {REHEARSAL_NOUNS[change.table]}: {_duration(change.before)}"
    if change.kind == DELETE:
        return f"Deleted the {item} “{change.name}”"
    if change.kind == MOVE:
        return f"Speaking order: {change.name} from place {change.before} to {change.after}"
    if change.kind == ATTEMPT:
        return f"Timed {change.name}'s statement: {_duration(change.after)}"
    if change.kind == TRY:
        return f"Timed an answer to “{change.name}”: {_duration(change.after)}"
    if change.kind == RUN:
        return f"Timed a run-through of the meeting: {_duration(change.after)}"
    return "Imported a plan, replacing the one before"


def _duration(seconds: object) -> str:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return "?"
    return format_duration(seconds)


def value_in_words(spec: Field | None, value: object, plan: Plan, cut: bool = False) -> str:
    """A value as the person chose or typed it, in quotes where it is text."""
    if spec is None:
        return f"“{value}”"
    if spec.kind == "bool":
        return "yes" if value else "no"
    if spec.kind == "person":
        if not value:
            return NOBODY_YET
        person = plan.record("people", str(value))
        return person["name"] or "(unnamed person)" if person else "someone no longer listed"
    if spec.kind == "duration" and isinstance(value, (int, float)):
        return format_duration(value)
    if spec.kind == "choice" and isinstance(value, str):
        return choice_name(spec, value)
    if spec.kind == "number":
        return str(value)
    text = "" if value is None else " ".join(str(value).split())  # on one line
    if not text:
        return "(empty)"
    return f"“{text}…”" if cut else f"“{text}”"
