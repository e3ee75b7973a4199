"""The intervention plan: its parts and fields, validation, speaking order and readiness.

A plan is kept as tables of plain dicts (as the store holds them). Singleton parts (the plan
itself, the specialist, the meeting, the aftercare) are one record each; people, treatment
options, objections, rehearsal attempts and run-throughs are lists of records with an "id".
"""

import os
import re
from collections import namedtuple
from datetime import UTC, datetime

from tui.core.safe_text import strip_controls

NAME_LIMIT = 200
SHORT_TEXT_LIMIT = 1_000
LONG_TEXT_LIMIT = 20_000
DEFAULT_TARGET_SECONDS = 120
MAX_TARGET_SECONDS = 60 * 60
TEXT_KINDS = ("text", "long")
MAX_RECORDED_SECONDS = 365 * 24 * 60 * 60


class ValidationError(ValueError):
    """An input that was refused, with the reason in plain words."""


# Fields, parts and readiness items are collections' named tuples: the command-line tools
# start noticeably faster without importing dataclasses or typing.


class Field(
    namedtuple(
        "Field",
        ("name", "label", "kind", "limit", "choices", "default", "hint"),
        defaults=("text", NAME_LIMIT, (), "", ""),
    )
):
    """One field of a part. ``kind`` is "text", "long", "bool", "choice", "number" or
    "duration"; ``limit`` is the most characters of text; ``choices`` those of a choice."""

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

PLAN = Part(
    "plan",
    "The plan",
    (Field("title", "Name of this plan", hint="Something neutral, e.g. 'Spring plan'"),),
    singleton=True,
)
PEOPLE = Part(
    "people",
    "People",
    (
        Field("name", "Name"),
        Field("relationship", "Relationship to your loved one", hint="e.g. sister, friend"),
        Field("role", "Role", kind="choice", choices=PERSON_ROLES, default="member",
              hint="chair leads; logistics handles the details"),
        Field("order", "Place in the speaking order", kind="number", default=0),
        Field("target_seconds", "Target length", kind="duration", default=DEFAULT_TARGET_SECONDS,
              hint="minutes:seconds, e.g. 2:00"),
        Field("attending", "Will be at the meeting", kind="bool", default=True),
        Field("read_by", "If not, who reads their statement", hint="name of the reader"),
        Field("enabled", "Has enabled the loved one", kind="bool", default=False),
        Field("enabling", "How, and what will change", kind="long", limit=SHORT_TEXT_LIMIT),
        Field("statement", "Statement", kind="long", limit=LONG_TEXT_LIMIT),
        Field("bottom_line", "Bottom line if treatment is refused", kind="long",
              limit=SHORT_TEXT_LIMIT),
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
        Field("when", "Date and time", hint="e.g. Saturday 12 December, 10am"),
        Field("place", "Place"),
        Field("neutral", "Neutral ground", kind="bool", default=False),
        Field("comfortable", "Comfortable and calm", kind="bool", default=False),
        Field("private", "Private", kind="bool", default=False),
        Field("who_brings", "Who brings your loved one"),
        Field("how_brought", "How they will be asked to come", kind="long",
              limit=SHORT_TEXT_LIMIT),
    ),
    singleton=True,
    guide_link="preparation-steps#choose-the-setting",
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
    ),
    item_name="objection",
    label_field="objection",
    guide_link="during",
)
AFTERCARE = Part(
    "aftercare",
    "After the meeting",
    (
        Field("follow_up", "Follow-up after treatment", kind="long", limit=LONG_TEXT_LIMIT,
              hint="who does what; support meetings"),
        Field("if_refused", "If treatment is refused", kind="long", limit=LONG_TEXT_LIMIT,
              hint="the family's own support: groups, therapy"),
    ),
    singleton=True,
    guide_link="if-refused",
)

PARTS = (PLAN, PEOPLE, SPECIALIST, MEETING, TREATMENTS, OBJECTIONS, AFTERCARE)
PARTS_BY_TABLE = {part.table: part for part in PARTS}
REHEARSAL_TABLES = ("attempts", "runs")


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
    text = _clean_text(spec, value)
    if len(text) > spec.limit:
        raise ValidationError(
            f"{spec.label} is too long: {len(text):,} characters, the limit is {spec.limit:,}."
        )
    if spec.kind == "choice" and text not in spec.choices:
        raise ValidationError(f"{spec.label} must be one of: {', '.join(spec.choices)}.")
    return text


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


# Compiled when first used (re keeps it), not when the command-line tools start.
_DURATION = (
    r"^\s*(?:(\d{1,4})\s*:\s*(\d{1,2})|(\d{1,6})\s*(m|min|mins|minutes?|s|sec|secs|seconds?)?)\s*$"
)


def parse_duration(text: str) -> int:
    """Seconds from '2:30', '150', '150s' or '2 min'."""
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
    if unit and unit.startswith("m"):
        return int(amount) * 60
    return int(amount)


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


class Plan:
    """The whole plan as plain records, with defaults filled in."""

    def __init__(self) -> None:
        self.records: dict[str, dict] = {}  # singleton parts, by table
        self.lists: dict[str, list[dict]] = {}  # people, treatments, ...
        self.cut: list[CutText] = []  # text shown cut to its field's limit
        self._attempts_by_person: dict[str, list[dict]] = {}
        self._rehearsals_by_person: dict[str, list] = {}  # read once: a plan is never changed

    @classmethod
    def from_tables(cls, tables: dict[str, list[dict]]) -> "Plan":
        """The plan from stored tables. The plan file refuses values Kindred cannot use
        (check_stored), but one opened read-only to look at is shown as well as it can be:
        a value of the wrong kind shows as the field's default, and a rehearsal that breaks
        a rule is left out. Text over its field's limit is cut to it (and listed in `cut`)."""
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
        for table in REHEARSAL_TABLES:
            rows = tables.get(table, [])
            plan.lists[table] = [row for row in rows if is_usable_rehearsal(table, row)]
        for row in plan.lists["attempts"]:
            plan._attempts_by_person.setdefault(row["person_id"], []).append(row)
        return plan

    def _usable(self, part: Part, row: dict, record_id: str) -> dict:
        record = defaults(part)
        if isinstance(row.get("id"), str):
            record["id"] = row["id"]
        for spec in part.fields:
            if spec.name not in row:
                continue
            value = row[spec.name]
            try:
                record[spec.name] = clean_value(spec, value)
            except ValidationError:
                if spec.kind in TEXT_KINDS and isinstance(value, str):  # it is too long
                    text = _clean_text(spec, value)
                    record[spec.name] = text[: spec.limit]
                    self.cut.append(CutText(part.table, record_id, spec.name, len(text)))
        return record

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
    def people(self) -> list[dict]:
        return speaking_order(self.lists["people"])

    def attempts_of(self, person_id: str) -> list[dict]:
        return list(self._attempts_by_person.get(person_id, []))

    def rehearsals_of(self, person_id: str) -> list:
        """Every timed reading (rehearsal.Attempt) of the person's statement, oldest first:
        their attempts on their own and their turns in run-throughs of the whole meeting
        (dated from the run's start). Readings that a hand-edited file made unreadable are
        left out."""
        from tui.core.rehearsal import Attempt, RunRecord, readable  # not needed for JSON

        if person_id not in self._rehearsals_by_person:
            readings = readable(Attempt.from_dict, self.attempts_of(person_id))
            for run in readable(RunRecord.from_dict, self.lists["runs"]):
                readings += [
                    Attempt(run.started_at, split.seconds)
                    for split in run.splits
                    if split.person_id == person_id
                ]
            readings.sort(key=lambda reading: reading.started_at)
            self._rehearsals_by_person[person_id] = readings
        return list(self._rehearsals_by_person[person_id])


# What a rehearsal record needs, field by field: the same rules for a value imported and a
# value read from the plan file.


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
                if spec.name not in doc or spec.kind in TEXT_KINDS and isinstance(value, str):
                    continue
                try:
                    clean_value(spec, value)
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
    """"1 person", "2 people"."""
    return f"{number} {one if number == 1 else many}"


def display_name(part: Part, record: dict) -> str:
    label = record.get(part.label_field, "") if part.label_field else ""
    return label or f"(unnamed {part.item_name})"


def renumbered(people: list[dict], moving_id: str | None = None, step: int = 0) -> dict[str, int]:
    """New places 1..n for everyone, after moving one person up (-1) or down (+1)."""
    ordered = [person["id"] for person in speaking_order(people)]
    if moving_id in ordered and step:
        index = ordered.index(moving_id)
        target = max(0, min(len(ordered) - 1, index + step))
        ordered.insert(target, ordered.pop(index))
    return {person_id: place for place, person_id in enumerate(ordered, start=1)}


class ReadinessItem(namedtuple("ReadinessItem", ("label", "done", "detail", "guide_link"))):
    """One line of the readiness view; ``guide_link`` is "section-id" or
    "section-id#heading-slug"."""

    __slots__ = ()


def readiness(plan: Plan) -> list[ReadinessItem]:
    """What is done and what is missing before the meeting can be held."""
    from tui.core.rehearsal import speaking_seconds  # here, as the command-line tools never need it

    people = plan.people
    specialist = plan.records["specialist"]
    meeting = plan.records["meeting"]
    unwritten = [p["name"] or "someone" for p in people if not p["statement"].strip()]
    too_long = [
        p["name"] or "someone"
        for p in people
        if p["statement"].strip() and speaking_seconds(p["statement"]) > p["target_seconds"]
    ]
    rehearsals = {p["id"]: plan.rehearsals_of(p["id"]) for p in people}
    unrehearsed = [p["name"] or "someone" for p in people if not rehearsals[p["id"]]]
    over_when_rehearsed = [
        p["name"] or "someone"
        for p in people
        if rehearsals[p["id"]] and rehearsals[p["id"]][-1].seconds > p["target_seconds"]
    ]
    setting_tests = [name for name in ("neutral", "comfortable", "private") if not meeting[name]]
    booked = [t for t in plan.lists["treatments"] if t["intake_booked"]]
    return [
        ReadinessItem(
            "A specialist has agreed to help",
            bool(specialist["name"].strip()) and specialist["agreed"],
            _specialist_detail(specialist),
            "preparation-steps#find-an-addiction-specialist",
        ),
        ReadinessItem(
            "At least two people in the group",
            len(people) >= 2,
            f"{len(people)} so far." if len(people) < 2 else "",
            "preparation-steps#choose-the-group",
        ),
        ReadinessItem(
            "Every statement is written",
            bool(people) and not unwritten,
            _waiting_on(unwritten) if people else "Add the people first.",
            "three-messages",
        ),
        ReadinessItem(
            "Every statement fits its target length",
            bool(people) and not unwritten and not too_long,
            _waiting_on(too_long, "Too long: ") if too_long else "",
            "three-messages",
        ),
        ReadinessItem(
            "A setting is chosen: neutral, comfortable, private",
            bool(meeting["place"].strip()) and not setting_tests,
            _setting_detail(meeting, setting_tests),
            "preparation-steps#choose-the-setting",
        ),
        ReadinessItem(
            "A treatment option with intake booked",
            bool(booked),
            "" if booked else "Book an intake so treatment can start the same day.",
            "preparation-steps#arrange-treatment-in-advance",
        ),
        ReadinessItem(
            "Everyone has rehearsed at least once",
            bool(people) and not unrehearsed,
            _waiting_on(unrehearsed, "Not yet: ") if people else "Add the people first.",
            "preparation-steps#rehearse",
        ),
        ReadinessItem(
            "Everyone's last rehearsal was within their target",
            bool(people) and not unrehearsed and not over_when_rehearsed,
            _waiting_on(over_when_rehearsed, "Over target: "),
            "three-messages",
        ),
    ]


def _waiting_on(names: list[str], prefix: str = "Waiting on: ") -> str:
    return prefix + ", ".join(names) if names else ""


def _specialist_detail(specialist: dict) -> str:
    if not specialist["name"].strip():
        return "Find an addiction specialist, and write their name here."
    return "" if specialist["agreed"] else "Ask them, and tick when they agree."


def _setting_detail(meeting: dict, missing_tests: list[str]) -> str:
    if not meeting["place"].strip():
        return "Choose a place."
    return "Not yet: " + ", ".join(missing_tests) if missing_tests else ""
