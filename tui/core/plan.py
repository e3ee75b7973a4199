"""The intervention plan: its parts and fields, validation, speaking order and readiness.

A plan is kept as tables of plain dicts (as the store holds them). Singleton parts (the plan
itself, the specialist, the meeting, the aftercare) are one record each; people, treatment
options, objections, tasks, the day's checklist, rehearsal dates, rehearsal attempts,
run-throughs and tries at answering objections are lists of records with an "id".
"""

import os
import re
from collections import namedtuple
from datetime import UTC, date, datetime

from tui.core.approaches import (
    APPROACH_NAMES,
    APPROACHES_BY_NAME,
    CRAFT_FIRST,
    INVITATIONAL,
    NOT_CHOSEN,
    SURPRISE,
    holds_a_meeting,
)
from tui.core.countries import COUNTRY_NAMES
from tui.core.dates import (
    EXAMPLE_MOMENT,
    DateError,
    moment_of,
    parse_day,
    parse_moment,
    typed_form,
)
from tui.core.safe_text import strip_controls

NAME_LIMIT = 200
SHORT_TEXT_LIMIT = 1_000
LONG_TEXT_LIMIT = 20_000
DEFAULT_TARGET_SECONDS = 120
DEFAULT_ANSWER_SECONDS = 30
MAX_TARGET_SECONDS = 60 * 60
TEXT_KINDS = ("text", "long")
NOBODY_YET = "nobody yet"
MAX_RECORDED_SECONDS = 365 * 24 * 60 * 60


class ValidationError(ValueError):
    """An input that was refused, with the reason in plain words."""


# Fields, parts and readiness items are collections' named tuples: the command-line tools
# start noticeably faster without importing dataclasses or typing.


class Field(
    namedtuple(
        "Field",
        ("name", "label", "kind", "limit", "choices", "default", "hint", "choice_names"),
        defaults=("text", NAME_LIMIT, (), "", "", ()),
    )
):
    """One field of a part. ``kind`` is "text", "long", "bool", "choice", "number",
    "duration", "moment" (a day, or a day and time: see tui.core.dates), "day", "person" (the
    id of one of the plan's people, or "" for nobody yet) or "link" (a place in the guide,
    "section-id" or "section-id#heading-slug"); ``limit`` is the most characters of text;
    ``choices`` those of a choice. A choice's default may stand outside its choices, for "not
    chosen yet"; ``choice_names`` are (value, name) pairs for values shown by another name."""

    __slots__ = ()


class Part(
    namedtuple(
        "Part",
        ("table", "title", "fields", "singleton", "item_name", "label_field", "guide_link"),
        defaults=(False, "", "", ""),
    )
):
    """A part of the plan and its fields. ``item_name`` ("person", "treatment option") is for
    "Add a person"; ``label_field`` is the field that names a record in lists."""

    __slots__ = ()


PERSON_ROLES = ("member", "chair", "logistics", "reader")
MARKS = ("went well", "needs work")  # how a try at answering an objection went
SPECIALIST_ROLES = ("interventionist", "counsellor", "social worker", "therapist", "other")
TREATMENT_KINDS = (
    "detox",
    "residential",
    "outpatient",
    "methadone",
    "buprenorphine",
    "naltrexone",
    "other",
)

NO_COUNTRY_NAME = "Not chosen yet"

PLAN = Part(
    "plan",
    "The plan",
    (
        Field("title", "Name of this plan", hint="Something neutral, e.g. 'Spring plan'"),
        Field(
            "country",
            "Country",
            kind="choice",
            choices=tuple(COUNTRY_NAMES),
            choice_names=(("", NO_COUNTRY_NAME), *COUNTRY_NAMES.items()),
            hint="the guide's phone numbers follow it",
        ),
    ),
    singleton=True,
)
PEOPLE = Part(
    "people",
    "People",
    (
        Field("name", "Name"),
        Field("relationship", "Relationship to your loved one", hint="e.g. sister, friend"),
        Field(
            "role",
            "Role",
            kind="choice",
            choices=PERSON_ROLES,
            default="member",
            hint="chair leads; logistics handles the details",
        ),
        Field("order", "Place in the speaking order", kind="number", default=0),
        Field(
            "target_seconds",
            "Target length",
            kind="duration",
            default=DEFAULT_TARGET_SECONDS,
            hint="minutes:seconds, e.g. 2:00",
        ),
        Field("attending", "Will be at the meeting", kind="bool", default=True),
        Field("read_by", "If not, who reads their statement", hint="name of the reader"),
        Field("enabled", "Has enabled the loved one", kind="bool", default=False),
        Field("enabling", "How, and what will change", kind="long", limit=SHORT_TEXT_LIMIT),
        Field("statement", "Statement", kind="long", limit=LONG_TEXT_LIMIT),
        Field(
            "bottom_line",
            "Bottom line if treatment is refused",
            kind="long",
            limit=SHORT_TEXT_LIMIT,
        ),
    ),
    item_name="person",
    label_field="name",
    guide_link="preparation-steps#choose-the-group",
)
SPECIALIST = Part(
    "specialist",
    "Specialist",
    (
        Field("name", "Name"),
        Field("role", "Role", kind="choice", choices=SPECIALIST_ROLES, default="interventionist"),
        Field("contact", "Contact", hint="phone or email"),
        Field("agreed", "Has agreed to take part", kind="bool", default=False),
    ),
    singleton=True,
    guide_link="preparation-steps#find-an-addiction-specialist",
)
MEETING = Part(
    "meeting",
    "Meeting",
    (
        Field(
            "approach",
            "Approach",
            kind="choice",
            choices=APPROACH_NAMES,
            default=NOT_CHOSEN,
            hint="compared in the guide: Approaches compared",
        ),
        Field("when", "Date and time", kind="moment", hint="e.g. 2026-12-20 18:30"),
        Field("place", "Place"),
        Field("neutral", "Neutral ground", kind="bool", default=False),
        Field("comfortable", "Comfortable and calm", kind="bool", default=False),
        Field("private", "Private", kind="bool", default=False),
        Field("who_brings", "Who brings your loved one"),
        Field("how_brought", "How they will be asked to come", kind="long", limit=SHORT_TEXT_LIMIT),
    ),
    singleton=True,
    guide_link="preparation-steps#choose-the-setting",
)
SAFETY = Part(
    "safety",
    "Safety at the meeting",
    (
        Field("naloxone_in_room", "Naloxone will be in the room", kind="bool", default=False),
        Field("naloxone_holder", "Who holds the naloxone", hint="a name"),
        Field("emergency_caller", "Who calls the emergency number if needed", hint="a name"),
        Field(
            "stop_signal",
            "The agreed signal to stop the meeting",
            hint="e.g. the chair stands up and says 'let's stop here'",
        ),
        Field("goes_with_them", "Who goes with your loved one if they leave", hint="a name"),
        Field(
            "children_elsewhere", "Any children are cared for elsewhere", kind="bool", default=False
        ),
        Field(
            "weapons_medicines_away",
            "Weapons and medicines are put away",
            kind="bool",
            default=False,
        ),
    ),
    singleton=True,
    guide_link="during#safety-at-the-meeting",
)
TREATMENTS = Part(
    "treatments",
    "Treatment options",
    (
        Field("name", "Name of the program or clinic"),
        Field("kind", "Type", kind="choice", choices=TREATMENT_KINDS, default="residential"),
        Field("contact", "Contact"),
        Field("cost", "Cost or insurance notes", kind="long", limit=SHORT_TEXT_LIMIT),
        Field("offers_medication", "Offers or allows medication", kind="bool", default=False),
        Field("intake_booked", "Intake booked", kind="bool", default=False),
        Field("bed_held", "Bed held", kind="bool", default=False),
        Field("transport", "Transport arranged", kind="bool", default=False),
        Field("bag_packed", "Bag packed", kind="bool", default=False),
    ),
    item_name="treatment option",
    label_field="name",
    guide_link="treatment-options",
)
OBJECTIONS = Part(
    "objections",
    "Objections",
    (
        Field("objection", "What your loved one may say", limit=SHORT_TEXT_LIMIT),
        Field("answer", "Your prepared answer", kind="long", limit=SHORT_TEXT_LIMIT),
        Field(
            "target_seconds",
            "Target length of the answer",
            kind="duration",
            default=DEFAULT_ANSWER_SECONDS,
            hint="minutes:seconds, e.g. 0:30",
        ),
    ),
    item_name="objection",
    label_field="objection",
    guide_link="during",
)
AFTERCARE = Part(
    "aftercare",
    "After the meeting",
    (
        Field(
            "follow_up",
            "Follow-up after treatment",
            kind="long",
            limit=LONG_TEXT_LIMIT,
            hint="who does what; support meetings",
        ),
        Field(
            "if_refused",
            "If treatment is refused",
            kind="long",
            limit=LONG_TEXT_LIMIT,
            hint="the family's own support: groups, therapy",
        ),
    ),
    singleton=True,
    guide_link="if-refused",
)

TASKS = Part(
    "tasks",
    "Tasks",
    (
        Field("title", "Task"),
        Field("owner", "Who sees to it", kind="person"),
        Field("due", "Due by", kind="day", hint="e.g. 2026-12-10, or leave empty"),
        Field("done", "Done", kind="bool", default=False),
        Field(
            "guide_link",
            "Where the guide explains it",
            kind="link",
            hint="e.g. preparation-steps#rehearse",
        ),
    ),
    item_name="task",
    label_field="title",
    guide_link="preparation-steps",
)
CHECKLIST = Part(
    "checklist",
    "On the day",
    (
        Field("item", "What is needed"),
        Field("owner", "Who sees to it", kind="person"),
        Field("done", "Ready", kind="bool", default=False),
    ),
    item_name="checklist item",
    label_field="item",
    guide_link="during",
)
REHEARSAL_DATES = Part(
    "rehearsal_dates",
    "Rehearsal dates",
    (
        Field("when", "Date and time", kind="moment", hint="e.g. 2026-12-18 19:00"),
        Field("place", "Place"),
    ),
    item_name="rehearsal date",
    label_field="when",
    guide_link="preparation-steps#rehearse",
)

PARTS = (
    PLAN,
    PEOPLE,
    SPECIALIST,
    MEETING,
    SAFETY,
    TREATMENTS,
    OBJECTIONS,
    AFTERCARE,
    TASKS,
    CHECKLIST,
    REHEARSAL_DATES,
)
PARTS_BY_TABLE = {part.table: part for part in PARTS}
# Timed practice: each person's attempts at their statement, run-throughs of the whole
# meeting, and tries at answering each objection.
REHEARSAL_TABLES = ("attempts", "runs", "objection_tries")


def new_id() -> str:
    return new_ids(1)[0]


def new_ids(count: int) -> list[str]:
    """count new ids at once: thousands of rehearsal attempts are imported in one go."""
    digits = os.urandom(6 * count).hex()
    return [digits[start : start + 12] for start in range(0, len(digits), 12)]


def defaults(part: Part) -> dict:
    return {f.name: f.default for f in part.fields}


def field_of(part: Part, name: str) -> Field:
    for candidate in part.fields:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def clean_value(spec: Field, value: object) -> object:
    """The value as it will be stored, or ValidationError saying why it was refused."""
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(f"{spec.label} must be yes or no.")
        return value
    if spec.kind == "number":
        if isinstance(value, str):
            value = _parse_whole_number(spec, value)
        return _whole_number(spec, value, minimum=0)
    if spec.kind == "duration":
        if isinstance(value, str):
            try:
                value = parse_duration(value)
            except ValidationError as error:
                raise ValidationError(f"{spec.label}: {error}") from None
        return _whole_number(spec, value, minimum=1, maximum=MAX_TARGET_SECONDS)
    if not isinstance(value, str):
        raise ValidationError(f"{spec.label} must be text.")
    if spec.kind in ("moment", "day"):
        try:
            return (parse_moment if spec.kind == "moment" else parse_day)(strip_controls(value))
        except DateError as error:
            raise ValidationError(f"{spec.label}: {error}") from None
    text = _clean_text(spec, value)
    _refuse_too_long(spec, text)
    if spec.kind == "person" and text and not re.fullmatch(_ID, text):
        raise ValidationError(f"{spec.label} must be one of the plan's people, or nobody yet.")
    if spec.kind == "link" and text and not re.fullmatch(_GUIDE_LINK, text):
        raise ValidationError(
            f"{spec.label} must be a section of the guide, then # and a heading, like "
            "preparation-steps#rehearse."
        )
    if spec.kind == "choice" and text not in spec.choices and text != spec.default:
        raise ValidationError(f"{spec.label} must be one of: {', '.join(spec.choices)}.")
    return text


def _refuse_too_long(spec: Field, text: str) -> None:
    if len(text) > spec.limit:
        raise ValidationError(
            f"{spec.label} is too long: {len(text):,} characters, the limit is {spec.limit:,}."
        )


def clean_stored_value(spec: Field, value: object) -> object:
    """clean_value for a value from a file: the same, except that a moment that is not a
    real date is kept as it is (see kept_moment)."""
    if spec.kind == "moment" and isinstance(value, str):
        text = kept_moment(spec, value)
        _refuse_too_long(spec, text)
        return text
    return clean_value(spec, value)


def kept_moment(spec: Field, value: str) -> str:
    """A moment from a file: a real date in its stored form or, failing that, the text as it
    is (plans from before dates were real dates hold things like "Saturday 10am"), cleaned
    as one line. Readiness says when it is not a real date yet."""
    try:
        return parse_moment(strip_controls(value))
    except DateError:
        return _clean_text(spec, value)


def choice_name(spec: Field, value: str) -> str:
    """How a choice's value is shown."""
    return dict(spec.choice_names).get(value, value)


def _clean_text(spec: Field, text: str) -> str:
    text = strip_controls(text, multiline=spec.kind == "long")
    return text if spec.kind == "long" else text.strip()


def _parse_whole_number(spec: Field, text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise ValidationError(f"{spec.label} must be a whole number, like 2.")
    return int(text)


def _whole_number(spec: Field, value: object, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{spec.label} must be a whole number.")
    if maximum is None and value < minimum:
        raise ValidationError(f"{spec.label} must be {minimum} or more.")
    if maximum is not None and not minimum <= value <= maximum:
        raise ValidationError(f"{spec.label} must be between {minimum} and {maximum}.")
    return value


# Compiled when first used (re keeps them), not when the command-line tools start.
_ID = r"[A-Za-z0-9_-]{1,64}"
_GUIDE_LINK = r"[a-z0-9-]+(#[\w-]+)?"
_DURATION = (
    r"^\s*(?:(\d{1,4})\s*:\s*(\d{1,2})|(\d{1,6})\s*(m|min|mins|minutes?|s|sec|secs|seconds?)?)\s*$"
)


def parse_duration(text: str) -> int:
    """Seconds from '2:30', '150s' or '2 min'; a bare number is minutes ('2' is 2:00)."""
    match = re.match(_DURATION, text.lower())
    if not match:
        shown = text.strip() if len(text.strip()) <= 20 else text.strip()[:20] + "…"
        raise ValidationError(
            f"{shown!r} is not a length of time: write minutes:seconds, like 2:00."
        )
    minutes, seconds, amount, unit = match.groups()
    if minutes is not None:
        if int(seconds) >= 60:
            raise ValidationError("Seconds must be under 60, like 2:30.")
        return int(minutes) * 60 + int(seconds)
    if unit and unit.startswith("s"):
        return int(amount)
    return int(amount) * 60


def format_duration(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def clean_record(part: Part, record: dict, *, partial: bool = False) -> dict:
    """Every known field cleaned; unknown fields refused; missing ones defaulted unless partial."""
    cleaned: dict[str, object] = {}
    for name, value in record.items():
        if name == "id":
            if not isinstance(value, str) or not value or len(value) > 64:
                raise ValidationError("id must be a short piece of text.")
            cleaned["id"] = value
            continue
        try:
            spec = field_of(part, name)
        except KeyError:
            raise ValidationError(f"{part.title} has no field called {name!r}.") from None
        cleaned[name] = clean_value(spec, value)
    if not partial:
        cleaned = {**defaults(part), **cleaned}
    return cleaned


class CutText(namedtuple("CutText", "table record_id field_name length")):
    """Text in the plan file longer than its field allows (a file edited by hand, say): it
    is shown cut to the limit, and the file keeps all of it until the field is changed.
    record_id is a singleton part's table name; length is the text's length in the file."""

    __slots__ = ()

    @property
    def spec(self) -> Field:
        return field_of(PARTS_BY_TABLE[self.table], self.field_name)

    @property
    def note(self) -> str:
        limit = self.spec.limit
        return (
            f"The plan file holds {self.length:,} characters here, more than the limit of "
            f"{limit:,}, so only the first {limit:,} are shown. The file keeps all of them "
            "until you change this field; a change saves what is shown."
        )


class CheckedTables(dict):
    """Stored tables (name -> rows) whose every value the plan file has checked
    (check_stored), so that a plan made of them need not check its rehearsals again."""


class Plan:
    """The whole plan as plain records, with defaults filled in."""

    def __init__(self) -> None:
        self.records: dict[str, dict] = {}  # singleton parts, by table
        self.lists: dict[str, list[dict]] = {}  # people, treatments, ...
        self.cut: list[CutText] = []  # text shown cut to its field's limit
        self._attempts_by_person: dict[str, list[dict]] = {}
        # Read once, when first asked: a plan's rehearsals are never changed.
        self._readings_by_person: dict[str, list[TimedReading]] = {}
        self._runs: list | None = None  # (row id, rehearsal.RunRecord), in saved order
        self._tries_by_objection: dict[str, list[dict]] = {}

    @classmethod
    def from_tables(cls, tables: dict[str, list[dict]], earlier: "Plan | None" = None) -> "Plan":
        """The plan from stored tables. The plan file refuses values Kindred cannot use
        (check_stored), but one opened read-only to look at is shown as well as it can be:
        a value of the wrong kind shows as the field's default, and a rehearsal that breaks
        a rule is left out. Text over its field's limit is cut to it (and listed in `cut`),
        and someone who sees to a task but is no longer among the people shows as nobody
        yet.

        `earlier` is the plan as the same file held it before: rehearsals it holds just so
        are taken from it, already checked, and so are the readings made of them."""
        plan = cls()
        for part in PARTS:
            rows = tables.get(part.table, [])
            if part.singleton:
                record = plan._usable(part, rows[0], part.table) if rows else defaults(part)
                plan.records[part.table] = record
            else:
                plan.lists[part.table] = [
                    plan._usable(part, row, row["id"])
                    for row in rows
                    if isinstance(row.get("id"), str) and row["id"]
                ]
        checked = isinstance(tables, CheckedTables)
        forms = _CHECKED_REHEARSAL_FORMS if checked else _REHEARSAL_FORMS
        for table, usable_form in forms.items():
            before = earlier.lists[table] if earlier else []
            plan.lists[table] = _usable_rows(tables.get(table, []), before, usable_form)
        for row in plan.lists["attempts"]:
            plan._attempts_by_person.setdefault(row["person_id"], []).append(row)
        for row in plan.lists["objection_tries"]:
            plan._tries_by_objection.setdefault(row["objection_id"], []).append(row)
        plan._forget_people_gone()
        if earlier:
            plan._keep_readings_of(earlier)
        return plan

    def _keep_readings_of(self, earlier: "Plan") -> None:
        """Take the readings the earlier plan made of the very same rows, and read only the
        attempts added since."""
        if not _same_rows(self.lists["runs"], earlier.lists["runs"]):
            return
        self._runs = earlier._runs
        for person_id, readings in earlier._readings_by_person.items():
            rows, earlier_rows = self.attempts_of(person_id), earlier.attempts_of(person_id)
            if _same_rows(rows[: len(earlier_rows)], earlier_rows):
                added = _readings_of_attempts(rows[len(earlier_rows) :])
                self._readings_by_person[person_id] = _in_time_order(readings + added)

    def _forget_people_gone(self) -> None:
        people = {person["id"] for person in self.lists["people"]}
        for part in PARTS:
            for spec in part.fields:
                if spec.kind != "person":
                    continue
                records = [self.records[part.table]] if part.singleton else self.lists[part.table]
                for record in records:
                    if record[spec.name] not in people:
                        record[spec.name] = ""

    def _usable(self, part: Part, row: dict, record_id: str) -> dict:
        record = defaults(part)
        if isinstance(row.get("id"), str):
            record["id"] = row["id"]
        for spec in part.fields:
            if spec.name not in row:
                continue
            value = row[spec.name]
            if spec.kind == "moment" and isinstance(value, str):
                text = kept_moment(spec, value)
                record[spec.name] = self._within_limit(part, record_id, spec, text)
                continue
            try:
                record[spec.name] = clean_value(spec, value)
            except ValidationError:
                if spec.kind in TEXT_KINDS and isinstance(value, str):  # it is too long
                    text = _clean_text(spec, value)
                    record[spec.name] = self._within_limit(part, record_id, spec, text)
        return record

    def _within_limit(self, part: Part, record_id: str, spec: Field, text: str) -> str:
        if len(text) > spec.limit:
            self.cut.append(CutText(part.table, record_id, spec.name, len(text)))
        return text[: spec.limit]

    def notes_for(self, table: str, record_id: str) -> dict[str, str]:
        """Notes on the fields of one record that are shown cut, by field name."""
        return {
            cut.field_name: cut.note
            for cut in self.cut
            if cut.table == table and cut.record_id == record_id
        }

    def record(self, table: str, record_id: str | None = None) -> dict | None:
        if record_id is None:
            return self.records.get(table)
        return next((row for row in self.lists.get(table, []) if row["id"] == record_id), None)

    @property
    def title(self) -> str:
        return self.records["plan"]["title"]

    @property
    def country(self) -> str:
        """The country code chosen for the plan, or "" while none has been chosen."""
        return self.records["plan"]["country"]

    @property
    def people(self) -> list[dict]:
        return speaking_order(self.lists["people"])

    def attempts_of(self, person_id: str) -> list[dict]:
        return list(self._attempts_by_person.get(person_id, []))

    def rehearsals_of(self, person_id: str) -> list:
        """Every timed reading (rehearsal.Attempt) of the person's statement, oldest first:
        their attempts on their own and their turns in run-throughs of the whole meeting
        (dated from the run's start). Readings that a hand-edited file made unreadable are
        left out."""
        return [reading.attempt for reading in self.timed_readings(person_id)]

    def timed_readings(self, person_id: str) -> "list[TimedReading]":
        """The readings of rehearsals_of, each with the row it is saved in."""
        from tui.core.rehearsal import Attempt  # not needed for JSON

        def usable(fingerprint: str | None) -> str | None:  # not one a hand-edited file spoiled
            return fingerprint if is_fingerprint(fingerprint) else None

        if person_id not in self._readings_by_person:
            readings = _readings_of_attempts(self._attempts_by_person.get(person_id, []))
            for row_id, run in self.runs():
                turns = [split for split in run.splits if split.person_id == person_id]
                readings += [
                    TimedReading(
                        "runs",
                        row_id,
                        Attempt(run.started_at, turn.seconds, fingerprint=usable(turn.fingerprint)),
                    )
                    for turn in turns
                ]
            self._readings_by_person[person_id] = _in_time_order(readings)
        return list(self._readings_by_person[person_id])

    def runs(self) -> list:
        """The run-throughs of the whole meeting (rehearsal.RunRecord), each with the id of
        its row, in the order they were saved. Those a hand-edited file made unreadable are
        left out."""
        from tui.core.rehearsal import RunRecord  # not needed for JSON

        if self._runs is None:
            self._runs = []
            for row in self.lists["runs"]:
                try:
                    self._runs.append((row["id"], RunRecord.from_dict(row)))
                except ValueError:
                    continue
        return list(self._runs)

    def pace_of(self, person_id: str):
        """The person's own speaking pace (rehearsal.Pace) from their timed attempts, or the
        general pace until two of them agree (see rehearsal.speaking_pace)."""
        from tui.core.rehearsal import speaking_pace

        return speaking_pace(self.rehearsals_of(person_id))

    def tries_of(self, objection_id: str) -> list[dict]:
        """The saved tries at answering an objection, in the order they were recorded."""
        return list(self._tries_by_objection.get(objection_id, []))

    def last_try(self, objection_id: str):
        """The latest readable try (rehearsal.ObjectionTry) at answering an objection, or
        None if it has not been practised."""
        from tui.core.rehearsal import ObjectionTry, readable

        tries = readable(ObjectionTry.from_dict, self.tries_of(objection_id))
        return max(tries, key=lambda one: one.started_at, default=None)


# What a rehearsal record needs, field by field: the same rules for a value imported and a
# value read from the plan file.


def is_fingerprint(value: object) -> bool:
    """A statement's fingerprint (rehearsal.statement_fingerprint): 16 hex digits, in lower
    case."""
    return (
        isinstance(value, str)
        and len(value) == 16
        and all(character in "0123456789abcdef" for character in value)
    )


def is_word_count(value: object) -> bool:
    """A statement's number of words: a whole number, at most one a character."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LONG_TEXT_LIMIT


class TimedReading(namedtuple("TimedReading", "table row_id attempt")):
    """A timed reading of a statement (rehearsal.Attempt) and the row it is saved in: an
    attempt of its own ("attempts") or a turn in a run-through ("runs")."""


def _readings_of_attempts(rows: list[dict]) -> list[TimedReading]:
    """The readings of these attempt rows, leaving out those a hand-edited file spoiled."""
    from tui.core.rehearsal import Attempt  # not needed for JSON

    readings = []
    for row in rows:
        try:
            readings.append(TimedReading("attempts", row["id"], Attempt.from_dict(row)))
        except ValueError:
            continue
    return readings


def _in_time_order(readings: list[TimedReading]) -> list[TimedReading]:
    """Oldest first; of readings at the same moment, attempts first, each kind in the order
    it was saved (readings are given in that order)."""
    return sorted(
        readings, key=lambda reading: (reading.attempt.started_at, reading.table == "runs")
    )


def _usable_rows(rows: list[dict], earlier_rows: list[dict], usable_form) -> list[dict]:
    """The rows as the plan holds them (usable_form gives that, or None for a row left out).
    A row that the earlier plan holds just so is taken from it: checked already, and known
    by the readings made of it."""
    earlier_by_id = {row["id"]: row for row in earlier_rows if isinstance(row.get("id"), str)}
    kept = []
    for row in rows:
        row_id = row.get("id")
        earlier = earlier_by_id.get(row_id) if isinstance(row_id, str) else None
        if earlier is not None and earlier == row:
            kept.append(earlier)
            continue
        usable = usable_form(row)
        if usable is not None:
            kept.append(usable)
    return kept


def _same_rows(rows: list[dict], others: list[dict]) -> bool:
    return len(rows) == len(others) and all(
        row is other for row, other in zip(rows, others, strict=True)
    )


def _usable_attempt(attempt: dict) -> dict | None:
    return _unspoiled(attempt) if is_usable_rehearsal("attempts", attempt) else None


def _unspoiled(attempt: dict) -> dict:
    """The attempt without a word count or a fingerprint that cannot be right (a file edited
    by hand, say): its time still counts, but not for the speaker's pace, and for whatever
    the statement now says."""
    spoiled = [
        name
        for name, rule in (("words", is_word_count), ("fingerprint", is_fingerprint))
        if name in attempt and not rule(attempt[name])
    ]
    if not spoiled:
        return attempt
    return {name: value for name, value in attempt.items() if name not in spoiled}


def _usable_run(run: dict) -> dict | None:
    return run if is_usable_rehearsal("runs", run) else None


def _usable_try(row: dict) -> dict | None:
    usable = (
        is_id(row.get("objection_id"))
        and is_moment(row.get("started_at"))
        and is_seconds(row.get("seconds"))
        and row.get("mark") in MARKS
    )
    return row if usable else None


_REHEARSAL_FORMS = {
    "attempts": _usable_attempt,
    "runs": _usable_run,
    "objection_tries": _usable_try,
}
# The same, for tables whose attempts and runs check_stored has checked.
_CHECKED_REHEARSAL_FORMS = {
    "attempts": _unspoiled,
    "runs": lambda run: run,
    "objection_tries": _usable_try,
}


def is_id(value: object) -> bool:
    """1 to 64 letters, digits, - or _ (string methods: much faster here than a pattern)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= 64
        and value.isascii()
        and value.replace("-", "a").replace("_", "a").isalnum()
    )


def is_moment(value: object) -> bool:
    """An ISO-8601 date and time with a time zone, that can be turned into UTC."""
    if not isinstance(value, str):
        return False
    try:
        moment = datetime.fromisoformat(value)
        if not 1 < moment.year < 9999:
            moment.astimezone(UTC)  # as the rehearsal history will read it: may overflow
    except (ValueError, OverflowError):
        return False
    return moment.tzinfo is not None


def is_seconds(value: object) -> bool:
    # To isinstance(), True and False are whole numbers too. NaN fails.
    return (
        isinstance(value, (int, float))
        and type(value) is not bool
        and 0 <= value <= MAX_RECORDED_SECONDS
    )


def _are_splits(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(split, dict)
        and is_id(split.get("person_id"))
        and is_seconds(split.get("seconds"))
        for split in value
    )


ID_RULE = "Must be an id: 1 to 64 letters, digits, - or _."
MOMENT_RULE = "Must be a date and time with a time zone, like 2025-03-01T18:30:00+00:00."
SECONDS_RULE = "Must be a number of seconds from 0 up to a year."
REHEARSAL_RULES = {
    "attempts": (
        ("person_id", is_id, ID_RULE),
        ("started_at", is_moment, MOMENT_RULE),
        ("seconds", is_seconds, SECONDS_RULE),
    ),
    "runs": (
        ("started_at", is_moment, MOMENT_RULE),
        ("total_seconds", is_seconds, SECONDS_RULE),
        ("splits", _are_splits, "Must be a list of turns, each a person_id and seconds."),
    ),
}


def is_usable_rehearsal(table: str, row: dict) -> bool:
    """Does this record of attempts or runs keep every rule? Written out, as there may be
    ten thousand attempts to look at."""
    if table == "attempts":
        return (
            is_id(row.get("person_id"))
            and is_moment(row.get("started_at"))
            and is_seconds(row.get("seconds"))
        )
    return (
        is_moment(row.get("started_at"))
        and is_seconds(row.get("total_seconds"))
        and _are_splits(row.get("splits"))
    )


def _broken_rule(table: str, row: dict) -> tuple[str, str]:
    """The field of a rehearsal record that breaks its rule, and the rule."""
    return next(
        (name, words) for name, rule, words in REHEARSAL_RULES[table] if not rule(row.get(name))
    )


def check_stored(tables: dict[str, dict[str, dict]]) -> None:
    """ValidationError, saying where, for the first value in the plan's tables as the plan
    file holds them (documents by number) that Kindred cannot use: each field by the rule
    that an imported value meets. Text longer than its field allows is not refused (it is
    shown cut, see CutText), nor are fields and tables that are not the plan's."""
    for part in PARTS:
        numbers_by_id: dict[str, str] = {}
        for number, doc in tables.get(part.table, {}).items():
            where = f'"{part.table}", document "{number}"'
            if not part.singleton:
                record_id = doc.get("id")
                if not isinstance(record_id, str) or not is_id(record_id):
                    raise ValidationError(f'{where}, "id": {ID_RULE}')
                first = numbers_by_id.setdefault(record_id, number)
                if first != number:
                    raise ValidationError(
                        f'{where}, "id": The same as document "{first}"; ids must differ.'
                    )
            for spec in part.fields:
                value = doc.get(spec.name)
                kept_as_text = spec.kind in (*TEXT_KINDS, "moment")  # see kept_moment
                if spec.name not in doc or kept_as_text and isinstance(value, str):
                    continue
                try:
                    clean_stored_value(spec, value)
                except ValidationError as error:
                    raise ValidationError(f'{where}, "{spec.name}": {error}') from None
    for table in REHEARSAL_RULES:
        for number, doc in tables.get(table, {}).items():
            if not is_usable_rehearsal(table, doc):
                name, words = _broken_rule(table, doc)
                raise ValidationError(f'"{table}", document "{number}", "{name}": {words}')


def speaking_order(people: list[dict]) -> list[dict]:
    """People by their place in the order; those without a place (0) come last."""
    return sorted(
        people, key=lambda person: (person["order"] == 0, person["order"], person["name"].lower())
    )


def with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def counted(number: int, one: str, many: str) -> str:
    """ "1 person", "2 people"."""
    return f"{number} {one if number == 1 else many}"


def display_name(part: Part, record: dict) -> str:
    label = record.get(part.label_field, "") if part.label_field else ""
    if label and field_of(part, part.label_field).kind == "moment":
        label = typed_form(label)
    return label or f"(unnamed {part.item_name})"


def person_name(plan: Plan, person_id: str) -> str:
    """The name of whoever sees to something: "nobody yet" when nobody does."""
    person = plan.record("people", person_id) if person_id else None
    if person is None:
        return NOBODY_YET
    return display_name(PEOPLE, person)


def renumbered(people: list[dict], moving_id: str | None = None, step: int = 0) -> dict[str, int]:
    """New places 1..n for everyone, after moving one person up (-1) or down (+1)."""
    ordered = [person["id"] for person in speaking_order(people)]
    if moving_id is not None and moving_id in ordered and step:
        return placed(people, moving_id, max(1, ordered.index(moving_id) + 1 + step))
    return {person_id: place for place, person_id in enumerate(ordered, start=1)}


def placed(people: list[dict], moving_id: str, place: int) -> dict[str, int]:
    """New places 1..n for everyone, with one person moved to `place`; a place past the end,
    or 0 (no place), puts them last. The others keep their order."""
    ordered = [person["id"] for person in speaking_order(people) if person["id"] != moving_id]
    index = len(ordered) if place == 0 else min(place, len(ordered) + 1) - 1
    ordered.insert(index, moving_id)
    return {person_id: number for number, person_id in enumerate(ordered, start=1)}


class ReadinessItem(
    namedtuple(
        "ReadinessItem", ("label", "done", "detail", "guide_link", "fixed_in"), defaults=("",)
    )
):
    """One line of the readiness view; ``guide_link`` is "section-id" or
    "section-id#heading-slug". ``fixed_in`` is where what is missing is put right (see
    fixed_in), or "" where nothing in Kindred does it."""

    __slots__ = ()


def fixed_in(table: str, record_id: str = "", field: str = "") -> str:
    """Where a readiness item is put right: "meeting#when" (a field of a part with one
    record), "people:<id>#statement" (a field of a record), "add:people" (adding one), or
    "rehearse:<person id>" and "rehearse:objections" (Rehearse, on a person or the drill)."""
    place = f"{table}:{record_id}" if record_id else table
    return f"{place}#{field}" if field else place


def _first_id(records: list[dict], wanted) -> str:
    return next((record["id"] for record in records if wanted(record)), "")


def readiness(plan: Plan, today: date) -> list[ReadinessItem]:
    """What is done and what is missing before the meeting can be held, as the approach
    chosen asks: with CRAFT first, what the family needs before any meeting. Tasks count as
    overdue from the day after their due date; ``today`` is the local date, given by the
    caller."""
    from tui.core.tasks import overdue_tasks  # here, as it needs the plan's own names

    approach = plan.records["meeting"]["approach"]
    overdue = overdue_tasks(plan, today)
    items = [
        ReadinessItem(
            "The approach is chosen",
            approach != NOT_CHOSEN,
            "Read Approaches compared, and choose together." if approach == NOT_CHOSEN else "",
            APPROACHES_BY_NAME[approach].guide_link,
            fixed_in(MEETING.table, field="approach"),
        ),
        _specialist_item(plan.records["specialist"], approach),
    ]
    if holds_a_meeting(approach):
        items += _meeting_items(plan, approach)
    return [*items, _unowned_item(plan.lists["tasks"]), _overdue_item(overdue)]


def _unowned_item(tasks: list[dict]) -> ReadinessItem:
    unowned = [
        task["title"] or "(unnamed task)"
        for task in tasks
        if not task["done"] and not task["owner"]
    ]
    more = " and more" if len(unowned) > 3 else ""
    detail = _waiting_on(unowned[:3], "Nobody sees to: ") + more
    if not tasks:
        detail = "Add the tasks, and say who sees to each."
    first = _first_id(tasks, lambda task: not task["done"] and not task["owner"])
    return ReadinessItem(
        "Every open task has someone who sees to it",
        bool(tasks) and not unowned,
        detail,
        "preparation-steps#choose-the-group",
        fixed_in("tasks", first, "owner") if first else fixed_in("add:tasks"),
    )


def _overdue_item(overdue: list) -> ReadinessItem:
    """overdue: tasks.DueTask, the longest overdue first; the link is where the guide
    explains the first of them."""
    if not overdue:
        return ReadinessItem("No task is overdue", True, "", "preparation-steps")
    names = [f"{due.task['title'] or '(unnamed task)'} ({due.owner})" for due in overdue]
    return ReadinessItem(
        "No task is overdue",
        False,
        f"{len(overdue)} overdue: " + ", ".join(names),
        overdue[0].task["guide_link"] or "preparation-steps",
        fixed_in("tasks", overdue[0].task["id"], "done"),
    )


def _specialist_item(specialist: dict, approach: str) -> ReadinessItem:
    if approach == CRAFT_FIRST:
        label, link = "A CRAFT counsellor has agreed to work with you", "approaches#3-craft-first"
        whom = "a counsellor trained in CRAFT"
    else:
        label = "A specialist has agreed to help"
        link = "preparation-steps#find-an-addiction-specialist"
        whom = "an addiction specialist"
    return ReadinessItem(
        label,
        bool(specialist["name"].strip()) and specialist["agreed"],
        _specialist_detail(specialist, whom),
        link,
        fixed_in(SPECIALIST.table, field="name" if not specialist["name"].strip() else "agreed"),
    )


def _meeting_items(plan: Plan, approach: str) -> list[ReadinessItem]:
    """What a meeting needs: the group, the date, the statements, the setting, safety,
    treatment, the rehearsals and practised answers to objections."""
    # here: the command-line tools never need them
    from tui.core.rehearsal import Mark, counted_as_rehearsed, fits_target

    people = plan.people
    meeting = plan.records["meeting"]
    unwritten = [p["name"] or "someone" for p in people if not p["statement"].strip()]
    long_ones = [
        p
        for p in people
        if p["statement"].strip()
        and not fits_target(p["statement"], p["target_seconds"], plan.pace_of(p["id"]))
    ]
    too_long = [p["name"] or "someone" for p in long_ones]
    rehearsals = {
        p["id"]: counted_as_rehearsed(plan.rehearsals_of(p["id"]), p["statement"]) for p in people
    }
    unrehearsed = [p["name"] or "someone" for p in people if not rehearsals[p["id"]]]
    rewritten = [
        p["name"] or "someone"
        for p in people
        if not rehearsals[p["id"]] and plan.rehearsals_of(p["id"])
    ]
    not_yet = [
        p["name"] or "someone"
        for p in people
        if not rehearsals[p["id"]] and not plan.rehearsals_of(p["id"])
    ]
    over_ones = [
        p
        for p in people
        if rehearsals[p["id"]] and rehearsals[p["id"]][-1].seconds > p["target_seconds"]
    ]
    over_when_rehearsed = [p["name"] or "someone" for p in over_ones]
    setting_tests = [name for name in ("neutral", "comfortable", "private") if not meeting[name]]
    no_bottom_line = [p["name"] or "someone" for p in people if not p["bottom_line"].strip()]
    booked = [t for t in plan.lists["treatments"] if t["intake_booked"]]
    treatments = plan.lists["treatments"]
    objections = plan.lists["objections"]
    last_tries = {o["id"]: plan.last_try(o["id"]) for o in objections}
    unpractised = [_quoted(o["objection"]) for o in objections if last_tries[o["id"]] is None]
    unanswered = [_quoted(o["objection"]) for o in objections if not o["answer"].strip()]
    first_unanswered = _first_id(objections, lambda o: not o["answer"].strip())
    needing_work = [
        _quoted(o["objection"])
        for o in objections
        if last_tries[o["id"]] is not None and last_tries[o["id"]].mark is Mark.NEEDS_WORK
    ]
    return [
        ReadinessItem(
            "At least two people in the group",
            len(people) >= 2,
            f"{len(people)} so far." if len(people) < 2 else "",
            "preparation-steps#choose-the-group",
            fixed_in("add:people"),
        ),
        ReadinessItem(
            "The meeting has a date and a time",
            isinstance(moment_of(meeting["when"]), datetime),
            _date_detail(meeting["when"]),
            "preparation-steps#choose-the-setting",
            fixed_in(MEETING.table, field="when"),
        ),
        *_bringing_items(meeting, approach),
        ReadinessItem(
            "Every statement is written",
            bool(people) and not unwritten,
            _waiting_on(unwritten) if people else "Add the people first.",
            "three-messages",
            _person_place(people, lambda p: not p["statement"].strip(), "statement"),
        ),
        ReadinessItem(
            "Every statement fits its target length",
            bool(people) and not unwritten and not too_long,
            _waiting_on(too_long, "Too long: ") if too_long else "",
            "three-messages",
            _person_place(
                people, lambda p: not p["statement"].strip() or p in long_ones, "statement"
            ),
        ),
        ReadinessItem(
            "Everyone who speaks has a bottom line, in case treatment is refused",
            bool(people) and not no_bottom_line,
            _waiting_on(no_bottom_line) if people else "Add the people first.",
            "if-refused#bottom-lines-what-you-will-do",
            _person_place(people, lambda p: not p["bottom_line"].strip(), "bottom_line"),
        ),
        ReadinessItem(
            "A setting is chosen: neutral, comfortable, private",
            bool(meeting["place"].strip()) and not setting_tests,
            _setting_detail(meeting, setting_tests),
            "preparation-steps#choose-the-setting",
            fixed_in(
                MEETING.table,
                field="place" if not meeting["place"].strip() else next(iter(setting_tests), ""),
            ),
        ),
        *_safety_items(plan.records["safety"]),
        ReadinessItem(
            "A treatment option with intake booked",
            bool(booked),
            "" if booked else "Book an intake so treatment can start the same day.",
            "preparation-steps#arrange-treatment-in-advance",
            fixed_in("treatments", treatments[0]["id"], "intake_booked")
            if treatments
            else fixed_in("add:treatments"),
        ),
        _ready_to_go_item(booked),
        _aftercare_item(plan.records["aftercare"]),
        ReadinessItem(
            "Everyone has rehearsed at least once",
            bool(people) and not unrehearsed,
            "; ".join(
                detail
                for detail in (
                    _waiting_on(not_yet, "Not yet: "),
                    _waiting_on(rewritten, "Changed since last rehearsed: "),
                )
                if detail
            )
            if people
            else "Add the people first.",
            "preparation-steps#rehearse",
            _rehearse_place(people, lambda p: not rehearsals[p["id"]]),
        ),
        ReadinessItem(
            "Everyone's last rehearsal was within their target",
            bool(people) and not unrehearsed and not over_when_rehearsed,
            _waiting_on(over_when_rehearsed, "Over target: "),
            "three-messages",
            _rehearse_place(people, lambda p: not rehearsals[p["id"]] or p in over_ones),
        ),
        ReadinessItem(
            "Every objection has a prepared answer",
            bool(objections) and not unanswered,
            _waiting_on(unanswered, "No answer yet: ")
            if objections
            else "Write down what your loved one may say, and an answer to each.",
            "during#keeping-it-on-track",
            fixed_in("objections", first_unanswered, "answer")
            if first_unanswered
            else fixed_in("add:objections"),
        ),
        ReadinessItem(
            "Every objection practised, and its last try went well",
            bool(objections) and not unpractised and not needing_work,
            _objections_detail(objections, unpractised, needing_work),
            "during",
            fixed_in("rehearse:objections") if objections else fixed_in("add:objections"),
        ),
    ]


def _person_place(people: list[dict], wanting, field: str) -> str:
    """The field of the first person `wanting` it, or adding someone if nobody is in."""
    first = _first_id(people, wanting)
    if not people:
        return fixed_in("add:people")
    return fixed_in("people", first, field) if first else ""


def _rehearse_place(people: list[dict], wanting) -> str:
    """Rehearse, on the first person `wanting` a rehearsal, or adding someone."""
    first = _first_id(people, wanting)
    if not people:
        return fixed_in("add:people")
    return fixed_in(f"rehearse:{first}") if first else ""


def _ready_to_go_item(booked: list[dict]) -> ReadinessItem:
    """Transport and a packed bag for the treatment booked, so that a yes can go at once."""
    if not booked:
        detail = "Book an intake first."
    else:
        missing = [
            label
            for name, label in (("transport", "transport"), ("bag_packed", "a packed bag"))
            if not all(option[name] for option in booked)
        ]
        detail = "Not yet ticked: " + " and ".join(missing) + "." if missing else ""
    unready = [
        fixed_in("treatments", option["id"], name)
        for option in booked
        for name in ("transport", "bag_packed")
        if not option[name]
    ]
    return ReadinessItem(
        "Transport and a packed bag are ready for the treatment booked",
        bool(booked) and not detail,
        detail,
        "preparation-steps#arrange-treatment-in-advance",
        next(iter(unready), "") if booked else fixed_in("part:treatments"),
    )


def _aftercare_item(aftercare: dict) -> ReadinessItem:
    unwritten = [
        (name, label)
        for name, label in (
            ("follow_up", "follow-up after treatment"),
            ("if_refused", "if refused"),
        )
        if not aftercare[name].strip()
    ]
    missing = [label for _, label in unwritten]
    return ReadinessItem(
        "Follow-up after treatment, and what you will do if it is refused, are written",
        not missing,
        "Not yet written: " + " and ".join(missing) + "." if missing else "",
        AFTERCARE.guide_link,
        fixed_in(AFTERCARE.table, field=unwritten[0][0]) if unwritten else "",
    )


def _safety_items(safety: dict) -> list[ReadinessItem]:
    """Safety at the meeting: each thing to settle before it, with what is still to do."""

    def item(label: str, done: bool, detail: str, *fields: str) -> ReadinessItem:
        """`fields` settle the item; it is put right in the first that is not yet filled in."""
        field = next((name for name in fields if not _filled_in(safety[name])), "")
        place = fixed_in(SAFETY.table, field=field) if field else ""
        return ReadinessItem(label, done, "" if done else detail, SAFETY.guide_link, place)

    def named(field: str) -> bool:
        return bool(safety[field].strip())

    if not safety["naloxone_in_room"]:
        naloxone_detail = "Bring naloxone, and say who holds it."
    else:
        naloxone_detail = "Say who holds it."
    return [
        item(
            "Naloxone is in the room, and someone holds it",
            safety["naloxone_in_room"] and named("naloxone_holder"),
            naloxone_detail,
            "naloxone_in_room",
            "naloxone_holder",
        ),
        item(
            "Someone will call the emergency number if needed",
            named("emergency_caller"),
            "Choose who calls.",
            "emergency_caller",
        ),
        item(
            "A signal to stop the meeting is agreed",
            named("stop_signal"),
            "Agree on one with the specialist.",
            "stop_signal",
        ),
        item(
            "Someone will go with your loved one if they leave",
            named("goes_with_them"),
            "Choose who goes with them.",
            "goes_with_them",
        ),
        item(
            "Any children are cared for elsewhere",
            safety["children_elsewhere"],
            "Arrange for them to be somewhere else.",
            "children_elsewhere",
        ),
        item(
            "Weapons and medicines are put away",
            safety["weapons_medicines_away"],
            "Lock them away or take them out of the house.",
            "weapons_medicines_away",
        ),
    ]


def _filled_in(value: object) -> bool:
    return bool(value.strip() if isinstance(value, str) else value)


def _waiting_on(names: list[str], prefix: str = "Waiting on: ") -> str:
    return prefix + ", ".join(names) if names else ""


def _date_detail(when: str) -> str:
    moment = moment_of(when)
    if isinstance(moment, datetime):
        return ""
    if moment is not None:
        return f"Add the time of day too, like {EXAMPLE_MOMENT}."
    if when:
        return f"It is written in words, not yet as a date: write it like {EXAMPLE_MOMENT}."
    return f"Choose the day and the time, and write them like {EXAMPLE_MOMENT}."


def _bringing_items(meeting: dict, approach: str) -> list[ReadinessItem]:
    """How your loved one comes: brought to a surprise meeting, invited to an invitational
    one (the meeting part's "who brings" and "how" say it for both)."""
    unagreed = [
        (name, label)
        for name, label in (("who_brings", "who"), ("how_brought", "how"))
        if not meeting[name].strip()
    ]
    missing = [label for _, label in unagreed]
    detail = "Not yet agreed: " + " and ".join(missing) + "." if missing else ""
    place = fixed_in(MEETING.table, field=unagreed[0][0]) if unagreed else ""
    if approach == SURPRISE:
        label = "Who brings your loved one, and how, is agreed"
        link = "preparation-steps#choose-the-setting"
    elif approach == INVITATIONAL:
        label = "The invitation is agreed: who gives it, and what it says"
        link = "preparation-steps#choose-the-group"
    else:
        return []
    return [ReadinessItem(label, not missing, detail, link, place)]


def _quoted(text: str, limit: int = 30) -> str:
    """Text in quotes, on one line, cut to fit in a line of other details."""
    text = " ".join(text.split())
    if not text:
        return "(an objection not written yet)"
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _objections_detail(
    objections: list[dict], unpractised: list[str], needing_work: list[str]
) -> str:
    if not objections:
        return "Write down what your loved one may say, then practise answering it."
    details = [
        _waiting_on(unpractised, "Not practised: "),
        _waiting_on(needing_work, "Needs work: "),
    ]
    return "; ".join(detail for detail in details if detail)


def _specialist_detail(specialist: dict, whom: str) -> str:
    if not specialist["name"].strip():
        return f"Find {whom}, and write their name here."
    return "" if specialist["agreed"] else "Ask them, and tick when they agree."


def _setting_detail(meeting: dict, missing_tests: list[str]) -> str:
    if not meeting["place"].strip():
        return "Choose a place."
    return "Not yet: " + ", ".join(missing_tests) if missing_tests else ""
