"""The plan as Markdown and as the JSON interchange document, and what an import accepts."""

import html
import json
import re
import string
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from country_files import write_countries
from examples import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.cli import main
from tui.core.countries import load_countries
from tui.core.interchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    plan_document,
    plan_json,
    tables_from_document,
)
from tui.core.markdown_export import plan_markdown
from tui.core.plan import (
    AFTERCARE,
    CHECKLIST,
    LONG_TEXT_LIMIT,
    MEETING,
    OBJECTIONS,
    PARTS,
    PEOPLE,
    PLAN,
    REHEARSAL_DATES,
    SAFETY,
    SPECIALIST,
    TASKS,
    TREATMENTS,
    ValidationError,
    clean_value,
)
from tui.core.store import Store

# Control characters a terminal would act on (safe_text's list); tab and newline are fine.
TERMINAL_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


# What a valid plan looks like in the store, for property tests.

IDS = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=64)
TRICKY_TEXT = st.sampled_from(
    ["[b]x[/b]", "[red]Mum[/]", "# not a heading", "Zoë 💊 ✓", "a\tb", "line\r\nbreak", "\x1b[31m"]
)


def cleaned_text(spec) -> st.SearchStrategy:
    """Text as clean_value stores it: any text, markup-like text, or a long repeated one."""
    repeated = st.text(min_size=1, max_size=20).map(lambda piece: (piece * 2000)[: spec.limit])
    raw = st.one_of(st.text(max_size=60), TRICKY_TEXT, repeated)
    return raw.map(lambda text: clean_value(spec, text))


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)).map(date.isoformat)
STORED_MOMENTS = st.builds(
    lambda moment, minutes: (
        moment.replace(microsecond=0)
        .replace(tzinfo=timezone(timedelta(minutes=minutes)))
        .isoformat()
    ),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)),
    st.integers(-23 * 60, 23 * 60),
)
OLD_WHEN = st.sampled_from(["Saturday 12 December, 10am", "next week", "2026-12", "[b]soon[/b]"])


def stored_value(spec, person_ids: list[str]) -> st.SearchStrategy:
    """Values as the store holds them; a person field holds one of person_ids, or nobody."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "number":
        return st.integers(0, 1000) | st.integers(0, 10**9)  # a place in the order, of many
    if spec.kind == "duration":
        return st.integers(1, 3600)
    if spec.kind == "choice":
        return st.sampled_from((*spec.choices, spec.default))  # the default: not chosen yet
    if spec.kind == "day":
        return st.one_of(st.just(""), DAYS)
    if spec.kind == "moment":
        return st.one_of(st.just(""), DAYS, STORED_MOMENTS, OLD_WHEN)
    if spec.kind == "person":
        return st.sampled_from(["", *person_ids])
    if spec.kind == "link":
        return st.sampled_from(["", "approaches", "preparation-steps#rehearse"])
    return cleaned_text(spec)


def stored_fields(part, person_ids: list[str] = ()) -> st.SearchStrategy:
    """A record's fields; any may be missing, as in a file saved before the field existed."""
    optional = {spec.name: stored_value(spec, list(person_ids)) for spec in part.fields}
    return st.fixed_dictionaries({}, optional=optional)


MOMENTS = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(
        lambda offset: timedelta(minutes=offset // timedelta(minutes=1))
    ),
)
SECONDS = st.one_of(st.integers(0, 100_000), st.floats(0, 100_000, allow_nan=False))
WORDS = st.none() | st.integers(0, LONG_TEXT_LIMIT)
FINGERPRINTS = st.none() | st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)
MARK = st.sampled_from(["went well", "needs work"])


@st.composite
def stored_plans(draw) -> dict[str, list[dict]]:
    tables = {}
    for part in (PLAN, SPECIALIST, MEETING, SAFETY, AFTERCARE):
        if draw(st.booleans()):
            tables[part.table] = [{"id": part.table, **draw(stored_fields(part))}]
    for part in (PEOPLE, TREATMENTS, OBJECTIONS, TASKS, CHECKLIST, REHEARSAL_DATES):
        ids = draw(st.lists(IDS, unique=True, max_size=4))
        person_ids = [person["id"] for person in tables.get("people", [])]
        tables[part.table] = [{"id": one, **draw(stored_fields(part, person_ids))} for one in ids]
    if person_ids:
        attempts = draw(
            st.lists(st.tuples(st.sampled_from(person_ids), MOMENTS, SECONDS, WORDS, FINGERPRINTS))
        )
        tables["attempts"] = [
            {
                "id": f"a{number}",
                "person_id": who,
                "started_at": when,
                "seconds": seconds,
                **({} if words is None else {"words": words}),
                **({} if fingerprint is None else {"fingerprint": fingerprint}),
            }
            for number, (who, when, seconds, words, fingerprint) in enumerate(attempts)
        ]
    objection_ids = [objection["id"] for objection in tables["objections"]]
    if objection_ids:
        tries = draw(st.lists(st.tuples(st.sampled_from(objection_ids), MOMENTS, SECONDS, MARK)))
        tables["objection_tries"] = [
            {
                "id": f"o{number}",
                "objection_id": what,
                "started_at": when,
                "seconds": seconds,
                "mark": mark,
            }
            for number, (what, when, seconds, mark) in enumerate(tries)
        ]
    splits = st.lists(
        st.fixed_dictionaries(
            {"person_id": IDS, "seconds": SECONDS},
            optional={"fingerprint": FINGERPRINTS.filter(bool)},
        ),
        max_size=3,
    )
    runs = draw(st.lists(st.tuples(MOMENTS, SECONDS, splits), max_size=2))
    tables["runs"] = [
        {"id": f"r{number}", "started_at": when, "total_seconds": total, "splits": parts}
        for number, (when, total, parts) in enumerate(runs)
    ]
    return tables


# Round trips


@settings(max_examples=examples(150), deadline=None)
@given(stored_plans())
def test_every_valid_plan_survives_export_and_import_unchanged(tables):
    exported = plan_json(tables)
    imported = tables_from_document(json.loads(exported))
    assert plan_json(imported) == exported

    plan = json.loads(exported)["plan"]
    assert {person["id"] for person in plan["people"]} == {p["id"] for p in tables["people"]}
    assert sum(len(person["attempts"]) for person in plan["people"]) == len(
        tables.get("attempts", [])
    )
    assert [t["id"] for t in plan["treatments"]] == [t["id"] for t in tables["treatments"]]
    assert len(plan["runs"]) == len(tables["runs"])
    assert sum(len(objection["tries"]) for objection in plan["objections"]) == len(
        tables.get("objection_tries", [])
    )
    assert sum(
        "words" in attempt for person in plan["people"] for attempt in person["attempts"]
    ) == sum("words" in attempt for attempt in tables.get("attempts", []))


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tables=stored_plans(), folder=st.uuids())
def test_an_imported_plan_saved_to_disk_exports_the_same_file(tmp_path, tables, folder):
    exported = plan_json(tables)
    path = tmp_path / str(folder) / "kindred.json"  # a fresh plan file for each example
    Store(path).replace_all(lambda _: tables_from_document(json.loads(exported)))
    assert plan_json(Store(path).read()) == exported


@st.composite
def plans_kindred_can_hold(draw) -> dict[str, list[dict]]:
    """Any stored plan, sometimes with a crowd of people: a plan may hold thousands."""
    tables = draw(stored_plans())
    taken = {person["id"] for person in tables["people"]}
    crowd = draw(st.integers(0, 30) | st.integers(1_000, 1_500))
    place = draw(st.sampled_from([lambda n: n + 1, lambda n: 0, lambda n: 5_000 - n]))
    tables["people"] += [
        {"id": f"crowd-{n}", "name": f"Person {n}", "order": place(n)}
        for n in range(crowd)
        if f"crowd-{n}" not in taken
    ]
    return tables


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(tables=plans_kindred_can_hold())
def test_export_import_export_gives_the_same_file_for_any_plan(tmp_path, tables):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh folder for each example
    first, second = folder / "first" / "kindred.json", folder / "second" / "kindred.json"
    Store(first).replace_all(lambda _: tables)
    exported, again = folder / "exported.json", folder / "again.json"
    assert main(["export", "--format", "json", "-o", str(exported), "--data", str(first)]) == 0
    assert main(["import", str(exported), "--data", str(second)]) == 0
    assert main(["export", "--format", "json", "-o", str(again), "--data", str(second)]) == 0
    document = json.loads(again.read_bytes())
    assert document["plan"]["changes"].pop()["kind"] == "import"  # the import is noted
    assert (json.dumps(document) + "\n").encode() == exported.read_bytes()


def test_text_keeps_every_character_a_person_wrote(sample_document):
    document = sample_document
    statement = "Zoë, [b]we love you[/b] 💊\n\n\tI'm scared.\nReally."
    document["plan"]["people"][0]["statement"] = statement
    exported = json.loads(plan_json(tables_from_document(document)))
    assert exported["plan"]["people"][1]["statement"] == statement


# The document


def test_the_document_nests_attempts_under_people_in_speaking_order(sample_document):
    tables = tables_from_document(sample_document)
    document = plan_document(tables)
    assert (document["format"], document["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    people = document["plan"]["people"]
    assert [(person["name"], person["order"]) for person in people] == [("Bob", 1), ("Anna", 2)]
    assert people[1]["attempts"] == [
        {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 130.5},
        {"started_at": "2025-03-02T19:30:00+01:00", "seconds": 110},
    ]
    assert people[0]["attempts"] == []
    assert document["plan"]["runs"] == [
        {
            "started_at": "2025-03-03T18:00:00+00:00",
            "total_seconds": 200.2,
            "splits": [
                {"person_id": "bob", "seconds": 85.1},
                {"person_id": "anna", "seconds": 115.1},
            ],
        }
    ]


def test_the_document_uses_the_field_names_of_the_plan(sample_document):
    plan = plan_document(tables_from_document(sample_document))["plan"]
    names = {part.table: [spec.name for spec in part.fields] for part in PARTS}
    assert list(plan) == [
        "title",
        "country",
        "people",
        "specialist",
        "meeting",
        "safety",
        "treatments",
        "objections",
        "aftercare",
        "tasks",
        "checklist",
        "rehearsal_dates",
        "runs",
        "changes",
    ]
    assert list(plan["people"][0]) == ["id", *names["people"], "attempts"]
    assert list(plan["treatments"][0]) == ["id", *names["treatments"]]
    assert list(plan["objections"][0]) == ["id", *names["objections"], "tries"]
    for table in ("specialist", "meeting", "safety", "aftercare"):
        assert list(plan[table]) == names[table]


def test_tries_are_nested_under_their_objection_oldest_first(sample_document):
    tries = [
        {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 41.5, "mark": "needs work"},
        {"started_at": "2025-03-02T18:30:00+00:00", "seconds": 28, "mark": "went well"},
    ]
    sample_document["plan"]["objections"] = [
        {
            "id": "job",
            "objection": "I can't lose my job.",
            "answer": "",
            "target_seconds": 45,
            "tries": tries,
        },
        {"id": "quit", "objection": "I'll quit on my own.", "answer": ""},
    ]
    tables = tables_from_document(sample_document)
    assert [row["objection_id"] for row in tables["objection_tries"]] == ["job", "job"]
    objections = plan_document(tables)["plan"]["objections"]
    assert objections[0]["tries"] == tries
    assert objections[0]["target_seconds"] == 45
    assert (objections[1]["tries"], objections[1]["target_seconds"]) == ([], 30)


def test_tries_of_an_objection_that_is_not_in_the_plan_are_not_exported():
    tables = {
        "objections": [{"id": "job", "objection": "I can't lose my job."}],
        "objection_tries": [
            {
                "id": "t1",
                "objection_id": "gone",
                "started_at": "2025-03-01T18:30:00+00:00",
                "seconds": 20,
                "mark": "went well",
            },
        ],
    }
    assert plan_document(tables)["plan"]["objections"][0]["tries"] == []


def test_an_attempt_keeps_the_word_count_it_was_timed_at_and_older_ones_have_none(
    sample_document,
):
    attempts = sample_document["plan"]["people"][0]["attempts"]
    attempts[1]["words"] = 212
    exported = plan_document(tables_from_document(sample_document))["plan"]["people"][1]
    assert exported["attempts"] == attempts
    assert "words" not in exported["attempts"][0]


def test_a_word_count_a_hand_edited_file_spoiled_is_not_exported():
    tables = {
        "people": [{"id": "anna", "name": "Anna"}],
        "attempts": [
            {
                "id": "t1",
                "person_id": "anna",
                "started_at": "2025-03-01T18:30:00+00:00",
                "seconds": 20,
                "words": -3,
            }
        ],
    }
    [attempt] = plan_document(tables)["plan"]["people"][0]["attempts"]
    assert attempt == {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 20}


def test_an_attempt_keeps_the_fingerprint_of_the_statement_it_timed(sample_document):
    attempts = sample_document["plan"]["people"][0]["attempts"]
    attempts[1]["fingerprint"] = "0123456789abcdef"
    exported = plan_document(tables_from_document(sample_document))["plan"]["people"][1]
    assert exported["attempts"] == attempts
    assert "fingerprint" not in exported["attempts"][0]


def test_a_fingerprint_a_hand_edited_file_spoiled_is_not_exported():
    tables = {
        "people": [{"id": "anna", "name": "Anna"}],
        "attempts": [
            {
                "id": "t1",
                "person_id": "anna",
                "started_at": "2025-03-01T18:30:00+00:00",
                "seconds": 20,
                "fingerprint": "not a fingerprint",
            }
        ],
    }
    [attempt] = plan_document(tables)["plan"]["people"][0]["attempts"]
    assert attempt == {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 20}


def test_places_in_the_speaking_order_are_counted_from_one():
    tables = {
        "people": [
            {"id": "late", "name": "Cleo", "order": 0},  # no place yet: last
            {"id": "first", "name": "Ann", "order": 7},
            {"id": "second", "name": "Bea", "order": 9},
        ]
    }
    people = plan_document(tables)["plan"]["people"]
    assert [(p["id"], p["order"]) for p in people] == [("first", 1), ("second", 2), ("late", 3)]


def test_an_empty_store_gives_an_empty_plan_with_defaults():
    plan = plan_document({})["plan"]
    assert plan["title"] == ""
    assert plan["people"] == plan["treatments"] == plan["objections"] == plan["runs"] == []
    assert plan["specialist"] == {
        "name": "",
        "role": "interventionist",
        "contact": "",
        "agreed": False,
    }


def test_what_an_import_stores(sample_document):
    tables = tables_from_document(sample_document)
    anna = next(person for person in tables["people"] if person["id"] == "anna")
    assert anna["attending"] is True and anna["read_by"] == ""  # defaults
    assert tables["plan"] == [{"id": "plan", "title": "Spring plan", "country": ""}]
    assert tables["specialist"][0]["id"] == "specialist"  # a singleton's id is its table
    assert tables["specialist"][0]["role"] == "interventionist"
    attempt = tables["attempts"][0]
    assert attempt["person_id"] == "anna" and attempt["seconds"] == 130.5
    assert len({row["id"] for row in tables["attempts"] + tables["runs"]}) == 3


def test_missing_ids_are_made_up_and_different(sample_document):
    document = sample_document
    for person in document["plan"]["people"]:
        del person["id"]
    document["plan"]["runs"] = []
    people = tables_from_document(document)["people"]
    assert all(person["id"] for person in people)
    assert people[0]["id"] != people[1]["id"]


def test_only_title_and_people_are_needed():
    document = {"format": "kindred-plan", "version": 1, "plan": {"title": "", "people": []}}
    assert plan_json(tables_from_document(document)) == plan_json({})


def test_control_characters_are_removed_from_imported_text(sample_document):
    document = sample_document
    person = document["plan"]["people"][0]
    person["name"] = "An\x1b[31mna\u202e"
    person["statement"] = "Line one\r\nline two\x07"
    stored = tables_from_document(document)["people"][0]
    assert stored["name"] == "An [31mna"
    assert stored["statement"] == "Line one\nline two"


# What an import refuses


def change(path: str, value):
    """A change to the valid document: set the value at a path like 'plan.people.0.name'."""

    def apply(document):
        *parents, last = path.split(".")
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return document

    return apply


DELETE = object()

INVALID = [
    # (change, the start of the message)
    (change("format", "kindred"), "format: This is not a Kindred plan"),
    (change("format", DELETE), "format: This is not a Kindred plan"),
    (change("version", "1"), "version: Must be the whole number"),
    (change("version", 2), "version: This plan was written by a newer version of Kindred"),
    (change("version", 0), "version: There is no format version 0"),
    (change("plan", DELETE), "plan: Missing."),
    (change("notes", "hi"), "notes: Not a field Kindred knows"),
    (change("plan", []), "plan: Must be a JSON object"),
    (change("plan.title", DELETE), "plan.title: Missing."),
    (change("plan.title", 5), "plan.title: Name of this plan must be text."),
    (change("plan.secret", 1), "plan.secret: Not a field Kindred knows"),
    (change("plan.people", DELETE), "plan.people: Missing."),
    (change("plan.people", {}), "plan.people: Must be a list"),
    (change("plan.people.1", "Bob"), "plan.people[1]: Must be a JSON object"),
    (change("plan.people.1.name", DELETE), "plan.people[1].name: Missing."),
    (change("plan.people.1.order", DELETE), "plan.people[1].order: Missing."),
    (change("plan.people.1.statement", DELETE), "plan.people[1].statement: Missing."),
    (
        change("plan.people.1.target_seconds", 90.5),
        "plan.people[1].target_seconds: Target length must be a whole number.",
    ),
    (change("plan.people.1.target_seconds", 0), "plan.people[1].target_seconds: Target length"),
    (
        change("plan.people.1.target_seconds", "soon"),
        "plan.people[1].target_seconds: Target length: 'soon'",
    ),
    (change("plan.people.0.order", -1), "plan.people[0].order: Place in the speaking order"),
    (change("plan.people.0.role", "boss"), "plan.people[0].role: Role must be one of"),
    (change("plan.people.0.name", "x" * 201), "plan.people[0].name: Name is too long"),
    (change("plan.people.0.attending", "yes"), "plan.people[0].attending: Will be at the"),
    (change("plan.people.0.statement", None), "plan.people[0].statement: Statement must be"),
    (change("plan.people.0.nickname", "Annie"), "plan.people[0].nickname: Not a field"),
    (change("plan.people.1.id", "anna"), "plan.people[1].id: The same id as plan.people[0]"),
    (change("plan.people.0.id", "has space"), "plan.people[0].id: Must be an id"),
    (change("plan.people.0.id", ""), "plan.people[0].id: Must be an id"),
    (change("plan.people.0.attempts", {}), "plan.people[0].attempts: Must be a list"),
    (change("plan.people.0.attempts.1", 3), "plan.people[0].attempts[1]: Must be a JSON object"),
    (
        change("plan.people.0.attempts.1.started_at", "yesterday"),
        "plan.people[0].attempts[1].started_at: Must be a date and time with a time zone",
    ),
    (
        change("plan.people.0.attempts.1.started_at", "2025-03-01T18:30:00"),
        "plan.people[0].attempts[1].started_at: Must be a date and time with a time zone",
    ),
    (
        change("plan.people.0.attempts.1.started_at", "0001-01-01T00:00:00+05:00"),
        "plan.people[0].attempts[1].started_at: Must be a date and time",
    ),
    (
        change("plan.people.0.attempts.1.started_at", 1740853800),
        "plan.people[0].attempts[1].started_at: Must be a date and time",
    ),
    (change("plan.people.0.attempts.1.seconds", -1), "plan.people[0].attempts[1].seconds: Must"),
    (change("plan.people.0.attempts.1.seconds", True), "plan.people[0].attempts[1].seconds: Must"),
    (change("plan.people.0.attempts.1.seconds", "90"), "plan.people[0].attempts[1].seconds: Must"),
    (
        change("plan.people.0.attempts.1.seconds", float("nan")),
        "plan.people[0].attempts[1].seconds: Must",
    ),
    (
        change("plan.people.0.attempts.1.seconds", 10**400),
        "plan.people[0].attempts[1].seconds: Must",
    ),
    (change("plan.people.0.attempts.1.seconds", DELETE), "plan.people[0].attempts[1].seconds: M"),
    (change("plan.people.0.attempts.1.id", "a1"), "plan.people[0].attempts[1].id: Not a field"),
    (change("plan.specialist.role", "doctor"), "plan.specialist.role: Role must be one of"),
    (change("plan.specialist.id", "specialist"), "plan.specialist.id: Not a field"),
    (change("plan.meeting", "Saturday"), "plan.meeting: Must be a JSON object"),
    (change("plan.meeting.private", 1), "plan.meeting.private: Private must be yes or no."),
    (change("plan.treatments.0.kind", "spa"), "plan.treatments[0].kind: Type must be one of"),
    (
        change("plan.treatments", [{"id": "hope"}, {"id": "hope"}]),
        "plan.treatments[1].id: The same id as plan.treatments[0]",
    ),
    (change("plan.objections.0.objection", 5), "plan.objections[0].objection: What your"),
    (change("plan.objections.0.target_seconds", 0), "plan.objections[0].target_seconds: Target"),
    (change("plan.objections.0.tries", {}), "plan.objections[0].tries: Must be a list"),
    (change("plan.objections.0.tries", [3]), "plan.objections[0].tries[0]: Must be a JSON object"),
    (
        change(
            "plan.objections.0.tries",
            [{"started_at": "2025-03-01T18:30:00+00:00", "seconds": 20, "mark": "fine"}],
        ),
        'plan.objections[0].tries[0].mark: Must be "went well" or "needs work".',
    ),
    (
        change(
            "plan.objections.0.tries", [{"started_at": "2025-03-01T18:30:00+00:00", "seconds": 20}]
        ),
        "plan.objections[0].tries[0].mark: Missing.",
    ),
    (
        change(
            "plan.objections.0.tries",
            [{"started_at": "2025-03-01", "seconds": 20, "mark": "went well"}],
        ),
        "plan.objections[0].tries[0].started_at: Must be a date and time with a time zone",
    ),
    (
        change(
            "plan.objections.0.tries",
            [{"started_at": "2025-03-01T18:30:00+00:00", "seconds": -2, "mark": "went well"}],
        ),
        "plan.objections[0].tries[0].seconds: Must be a number of seconds",
    ),
    (
        change(
            "plan.objections.0.tries",
            [
                {
                    "started_at": "2025-03-01T18:30:00+00:00",
                    "seconds": 2,
                    "mark": "went well",
                    "who": "Anna",
                }
            ],
        ),
        "plan.objections[0].tries[0].who: Not a field",
    ),
    (change("plan.people.0.attempts.1.words", -1), "plan.people[0].attempts[1].words: Must be"),
    (
        change("plan.people.0.attempts.1.fingerprint", "ABCDEF0123456789"),
        "plan.people[0].attempts[1].fingerprint: Must be the fingerprint",
    ),
    (change("plan.people.0.attempts.1.words", 9.5), "plan.people[0].attempts[1].words: Must be"),
    (change("plan.people.0.attempts.1.words", True), "plan.people[0].attempts[1].words: Must be"),
    (
        change("plan.people.0.attempts.1.words", LONG_TEXT_LIMIT + 1),
        "plan.people[0].attempts[1].words: Must be the number of words",
    ),
    (
        change("plan.aftercare.follow_up", "x" * (LONG_TEXT_LIMIT + 1)),
        "plan.aftercare.follow_up: Follow-up after treatment is too long",
    ),
    (change("plan.runs", None), "plan.runs: Must be a list"),
    (change("plan.runs.0.total_seconds", DELETE), "plan.runs[0].total_seconds: Missing."),
    (change("plan.runs.0.splits.1.person_id", ""), "plan.runs[0].splits[1].person_id: Must be"),
    (
        change("plan.runs.0.splits.1.fingerprint", "too short"),
        "plan.runs[0].splits[1].fingerprint: Must be the fingerprint",
    ),
    (change("plan.runs.0.splits.0.seconds", -0.1), "plan.runs[0].splits[0].seconds: Must be"),
]


@pytest.mark.parametrize(("make_invalid", "message"), INVALID, ids=[m for _, m in INVALID])
def test_an_invalid_document_is_refused_naming_the_field(make_invalid, message, sample_document):
    document = make_invalid(sample_document)
    with pytest.raises(ValidationError) as refusal:
        tables_from_document(document)
    assert str(refusal.value).startswith(message)


def test_the_valid_document_is_accepted(sample_document):
    """The cases above are refused because of their one change, not something else."""
    assert tables_from_document(sample_document)


@pytest.mark.parametrize("document", [None, [], "kindred-plan", 1, True])
def test_something_that_is_not_an_object_is_not_a_plan(document):
    with pytest.raises(ValidationError, match="This is not a Kindred plan"):
        tables_from_document(document)


def test_a_newer_format_says_to_update_kindred(sample_document):
    document = {**sample_document, "version": 2}
    with pytest.raises(ValidationError, match="newer version of Kindred.*Update Kindred"):
        tables_from_document(document)


def test_an_unknown_key_is_shown_without_its_control_characters(sample_document):
    document = sample_document
    document["plan"]["people"][0]["\x1b]0;title\x07" + "x" * 100] = 1
    with pytest.raises(ValidationError) as refusal:
        tables_from_document(document)
    message = str(refusal.value)
    assert message.startswith("plan.people[0].␛]0;title␇")
    assert not TERMINAL_CONTROLS.search(message)
    assert len(message) < 400


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def plan_shaped(part) -> st.SearchStrategy:
    """Objects with the part's own keys (and "id", "attempts", "tries") holding any JSON
    values."""
    keys = st.sampled_from(["id", "attempts", "tries", *(spec.name for spec in part.fields)])
    values = st.one_of(JSON_VALUES, *(stored_value(spec, ["p1"]) for spec in part.fields))
    return st.dictionaries(keys, values, max_size=8)


PLAN_SHAPED_DOCUMENTS = st.fixed_dictionaries(
    {
        "format": st.just("kindred-plan") | JSON_VALUES,
        "version": st.just(1) | JSON_VALUES,
        "plan": st.fixed_dictionaries(
            {"title": st.text(max_size=10) | JSON_VALUES, "people": st.lists(plan_shaped(PEOPLE))},
            optional={
                "country": st.sampled_from(["GB", "other", "", "UK", "gb"]) | JSON_VALUES,
                **{
                    part.table: plan_shaped(part) if part.singleton else st.lists(plan_shaped(part))
                    for part in PARTS
                    if part not in (PLAN, PEOPLE)
                },
            },
        ),
    }
)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(JSON_VALUES, PLAN_SHAPED_DOCUMENTS))
def test_any_json_is_imported_or_refused_in_words(document):
    try:
        tables = tables_from_document(document)
    except ValidationError as refusal:
        assert str(refusal) and not TERMINAL_CONTROLS.search(str(refusal))
        return
    # Whatever is accepted exports, and imports again unchanged.
    exported = plan_json(tables)
    assert plan_json(tables_from_document(json.loads(exported))) == exported


# The country and safety at the meeting


@pytest.mark.parametrize("country", ["US", "CA", "GB", "IE", "AU", "other", ""])
def test_the_country_goes_out_and_comes_back(sample_document, country):
    sample_document["plan"]["country"] = country
    exported = plan_json(tables_from_document(sample_document, default_country="AU"))
    assert json.loads(exported)["plan"]["country"] == country
    assert plan_json(tables_from_document(json.loads(exported))) == exported


def test_a_plan_without_a_country_takes_the_default_given(sample_document):
    assert "country" not in sample_document["plan"]
    tables = tables_from_document(sample_document, default_country="GB")
    assert tables["plan"][0]["country"] == "GB"
    assert tables_from_document(sample_document)["plan"][0]["country"] == ""


@pytest.mark.parametrize("country", ["UK", "gb", "Ireland", "DE", None, 44])
def test_a_country_kindred_does_not_offer_is_refused_naming_the_field(sample_document, country):
    sample_document["plan"]["country"] = country
    with pytest.raises(ValidationError) as refusal:
        tables_from_document(sample_document, default_country="GB")
    message = str(refusal.value)
    assert message.startswith("plan.country: Country must be")
    if isinstance(country, str):
        assert message == "plan.country: Country must be one of: US, CA, GB, IE, AU, other."


SAFE_MEETING = {
    "naloxone_in_room": True,
    "naloxone_holder": "Anna",
    "emergency_caller": "Bob",
    "stop_signal": "The chair stands up",
    "goes_with_them": "Uncle Tom",
    "children_elsewhere": True,
    "weapons_medicines_away": False,
}


def test_safety_at_the_meeting_goes_out_and_comes_back(sample_document):
    sample_document["plan"]["safety"] = SAFE_MEETING
    exported = json.loads(plan_json(tables_from_document(sample_document)))
    assert exported["plan"]["safety"] == SAFE_MEETING


def test_safety_at_the_meeting_is_optional_and_checked(sample_document):
    assert plan_document(tables_from_document(sample_document))["plan"]["safety"] == {
        "naloxone_in_room": False,
        "naloxone_holder": "",
        "emergency_caller": "",
        "stop_signal": "",
        "goes_with_them": "",
        "children_elsewhere": False,
        "weapons_medicines_away": False,
    }
    sample_document["plan"]["safety"] = {"naloxone_in_room": "yes"}
    with pytest.raises(ValidationError, match="^plan.safety.naloxone_in_room: Naloxone will be"):
        tables_from_document(sample_document)
    sample_document["plan"]["safety"] = {"weapons": True}
    with pytest.raises(ValidationError, match="^plan.safety.weapons: Not a field"):
        tables_from_document(sample_document)


def test_markdown_names_the_country_and_lists_its_numbers(sample_document, tmp_path):
    write_countries(tmp_path / "guide")
    countries = load_countries(tmp_path / "guide")
    sample_document["plan"]["country"] = "GB"
    text = plan_markdown(tables_from_document(sample_document), countries)
    assert section(text, "## Country: United Kingdom") == (
        "- Emergency: 999 or 112. For an overdose.\n- Crisis line: 116 123."
    )
    sample_document["plan"]["country"] = "other"
    text = plan_markdown(tables_from_document(sample_document), countries)
    assert section(text, "## Country: Another country") == (
        "- Emergency: your local emergency number."
    )
    sample_document["plan"]["country"] = ""
    text = plan_markdown(tables_from_document(sample_document), countries)
    assert "## Country: Not chosen yet\n\n## People, in speaking order" in text


def test_markdown_ticks_what_is_settled_for_safety(sample_document):
    sample_document["plan"]["safety"] = SAFE_MEETING
    text = plan_markdown(tables_from_document(sample_document))
    assert section(text, "## Safety at the meeting") == (
        "- [x] Naloxone will be in the room\n"
        "- Who holds the naloxone: Anna\n"
        "- Who calls the emergency number if needed: Bob\n"
        "- The agreed signal to stop the meeting: The chair stands up\n"
        "- Who goes with your loved one if they leave: Uncle Tom\n"
        "- [x] Any children are cared for elsewhere\n"
        "- [ ] Weapons and medicines are put away"
    )


# Markdown


def test_markdown_lays_out_the_whole_plan(sample_document):
    text = plan_markdown(tables_from_document(sample_document))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Spring plan",
        "## Country: Not chosen yet",
        "## People, in speaking order",
        "### 1. Bob",
        "### 2. Anna",
        "## The specialist",
        "## The meeting",
        "## Safety at the meeting",
        "## Tasks, by who sees to them",
        "## On the day",
        "## Treatment options",
        "### Hope House",
        "## Objections and answers",
        "### I don't have a problem.",
        "## Follow-up after treatment",
        "## If treatment is refused",
        "## Rehearsals",
    ]


def section(text: str, heading: str) -> str:
    """The lines under a heading, up to the next heading of any level."""
    after = text.split(f"\n{heading}\n", 1)[1]
    return re.split(r"\n#+ ", after, maxsplit=1)[0].strip()


def test_markdown_shows_each_person_with_their_statement(sample_document):
    text = plan_markdown(tables_from_document(sample_document))
    assert section(text, "### 1. Bob") == (
        "- Relationship to your loved one: friend\n"
        "- Role: member\n"
        "- Target length: 1:30\n"
        "- [ ] Will be at the meeting\n"
        "- If not, who reads their statement: Anna\n"
        "- [x] Has enabled the loved one\n"
        "\n"
        "How, and what will change:\n"
        "\n"
        "I lent you money. I will stop.\n"
        "\n"
        "Statement:\n"
        "\n"
        "You were always there for me.\n"
        "\n"
        "Bottom line if treatment is refused: not filled in yet."
    )
    assert section(text, "### 2. Anna") == (
        "- Relationship to your loved one: sister\n"
        "- Role: chair\n"
        "- Target length: 2:00\n"
        "- [x] Will be at the meeting\n"
        "- [ ] Has enabled the loved one\n"
        "\n"
        "Statement:\n"
        "\n"
        "I love you.\n"
        "\n"
        "Please come with us today.\n"
        "\n"
        "Bottom line if treatment is refused:\n"
        "\n"
        "I will stop paying your rent."
    )


def test_markdown_ticks_the_setting_and_the_treatment_checklist(sample_document):
    text = plan_markdown(tables_from_document(sample_document))
    assert section(text, "## The meeting") == (
        "- Approach: not chosen yet\n"
        "- Date and time: Saturday 10am\n"
        "- Place: Mum's house\n"
        "- [x] Neutral ground\n"
        "- [ ] Comfortable and calm\n"
        "- [ ] Private\n"
        "- Who brings your loved one: not filled in yet\n"
        "\n"
        "How they will be asked to come: not filled in yet."
    )
    assert "- Type: residential\n" in section(text, "### Hope House")
    assert "- [x] Intake booked\n- [ ] Bed held\n" in section(text, "### Hope House")
    assert section(text, "## The specialist") == (
        "- Name: Dr Rivera\n- Role: interventionist\n- Contact: 555-0100\n"
        "- [x] Has agreed to take part"
    )
    assert section(text, "### I don't have a problem.") == (
        "- Target length of the answer: 0:30\n\nYour prepared answer:\n\nWe have seen it."
    )
    assert section(text, "## Follow-up after treatment") == "Weekly family meeting."


def test_markdown_sums_up_rehearsals_with_the_turns_in_run_throughs(sample_document):
    text = plan_markdown(tables_from_document(sample_document))
    assert section(text, "## Rehearsals") == (
        "- Bob: 1 attempt; last 1:25, best 1:25 (target 1:30).\n"
        "- Anna: 3 attempts; last 1:55, best 1:50 (target 2:00)."
    )
    sample_document["plan"]["runs"] = []
    text = plan_markdown(tables_from_document(sample_document))
    assert section(text, "## Rehearsals") == (
        "- Bob: not rehearsed yet.\n- Anna: 2 attempts; last 1:50, best 1:50 (target 2:00)."
    )


def test_markdown_of_an_empty_plan_says_what_is_not_filled_in():
    assert plan_markdown({}) == (
        "# Intervention plan\n\n"
        "## Country: Not chosen yet\n\n"
        "## People, in speaking order\n\nNot filled in yet.\n\n"
        "## The specialist\n\nNot filled in yet.\n\n"
        "## The meeting\n\nNot filled in yet.\n\n"
        "## Safety at the meeting\n\nNot filled in yet.\n\n"
        "## Tasks, by who sees to them\n\nNot filled in yet.\n\n"
        "## On the day\n\nNot filled in yet.\n\n"
        "## Treatment options\n\nNot filled in yet.\n\n"
        "## Objections and answers\n\nNot filled in yet.\n\n"
        "## Follow-up after treatment\n\nNot filled in yet.\n\n"
        "## If treatment is refused\n\nNot filled in yet.\n"
    )


def test_markdown_names_people_who_have_no_name_yet():
    text = plan_markdown({"people": [{"id": "p1", "order": 1}]})
    assert "### 1. (unnamed person)\n" in text


def test_markdown_keeps_markup_like_text_literally():
    tables = {"plan": [{"id": "plan", "title": "[b]Plan[/b] *for* <Sam>"}]}
    assert plan_markdown(tables).startswith("# \\[b]Plan\\[/b] \\*for\\* \\<Sam>\n")


# What a Markdown viewer makes of the export: CommonMark, with the tables and strikethrough
# that GitHub-style viewers add.
VIEWER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PLAIN_TAGS = {"h1", "h2", "h3", "p", "ul", "li"}  # what the export itself writes


def viewed(markdown: str) -> tuple[str, set[str]]:
    """The text a viewer shows, and the HTML tags it shows it with."""
    rendered = VIEWER.render(markdown)
    tags = set(re.findall(r"<(\w+)", rendered))
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)), tags


def person_tables(name: str, statement: str) -> dict:
    return {
        "plan": [{"id": "plan", "title": name}],
        "people": [{"id": "p", "name": name, "statement": statement, "order": 1}],
        "attempts": [
            {"id": "a", "person_id": "p", "started_at": "2025-03-01T18:30:00+00:00", "seconds": 90}
        ],
        "treatments": [{"id": "t", "name": name, "contact": name}],
    }


MARKDOWN_IN_A_LINE = (
    "*em* **strong** _under_ `code` [link](https://evil.example) ![img](x.png) <b>html</b> "
    "<https://evil.example> ~~gone~~ a | b &amp; &#65; \\[escaped] [ref] trailing #"
)
MARKDOWN_LINES = [
    "# heading",
    "## heading",
    ">quote",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. one",
    "2) two",
    "---",
    "***",
    "___",
    "===",
    "```",
    "~~~",
    "<div>block</div>",
    "[ref]: /url",
    "| a | b |",
    "|---|---|",
    "Setext above",
    "---",
    "    not indented code after text",
]


def test_markdown_shows_markdown_in_names_and_statements_literally():
    statement = "\n".join(MARKDOWN_LINES)
    text, tags = viewed(plan_markdown(person_tables(MARKDOWN_IN_A_LINE, statement)))
    assert tags <= PLAIN_TAGS
    # The name as the title, a heading, a list item, after a label; the statement line by line.
    assert text.count(MARKDOWN_IN_A_LINE) == 5
    assert "\n".join(line.strip() for line in MARKDOWN_LINES) in text  # as a paragraph


def test_markdown_leaves_harmless_punctuation_alone():
    place = 'Mum\'s house, 10am (Sat.) - #3: 50% off! +1 555-0100 C# 3.5 "quoted" a > b {x} $5'
    tables = {"meeting": [{"id": "meeting", "place": place}]}
    assert f"- Place: {place}\n" in plan_markdown(tables)


def test_markdown_escapes_a_line_only_where_it_starts_a_block():
    statement = "2025. A hard year.\nWe had 3.5 good days.\n- or + or > or #"
    text = plan_markdown(person_tables("Anna", statement))
    assert "2025\\. A hard year.\nWe had 3.5 good days.\n\\- or + or > or #\n" in text


MARKDOWN_PIECES = st.sampled_from([*"ab 1.)#>+-=*_`~[]()<>!|&;:\\\t", "&amp;", "    "])
MARKDOWN_LINE = st.lists(MARKDOWN_PIECES, max_size=20).map("".join)


@settings(max_examples=examples(300), deadline=None)
@given(
    name=MARKDOWN_LINE,
    statement=st.lists(MARKDOWN_LINE, max_size=6).map(
        lambda lines: "\n".join(line.lstrip() for line in lines)
    ),
)
def test_markdown_never_renders_plan_text_as_markdown(name, statement):
    """Whatever the text, a viewer shows it (up to spaces) with the export's own tags only.
    Lines are not indented here: after a blank line, a viewer shows an indented line as code,
    which is still the text as written."""
    text, tags = viewed(plan_markdown(person_tables(name, statement)))
    assert tags <= PLAIN_TAGS
    squashed = "".join(text.split())
    assert "".join(clean_value(PEOPLE.fields[0], name).split()) in squashed
    assert "".join(statement.split()) in squashed


TEXT_WITH_CONTROLS = st.text(
    st.characters(codec="utf-8") | st.sampled_from("\x1b\x07\x9b\u202e\u2066\r\n\t"), max_size=40
)


@settings(max_examples=100, deadline=None)
@given(name=TEXT_WITH_CONTROLS, statement=TEXT_WITH_CONTROLS, title=TEXT_WITH_CONTROLS)
def test_markdown_never_passes_control_characters_on(name, statement, title):
    """Even text that reached the file without being cleaned is shown without them."""
    tables = {
        "plan": [{"id": "plan", "title": title}],
        "people": [{"id": "p", "name": name, "statement": statement, "order": 1}],
        "objections": [{"id": "o", "objection": name, "answer": statement}],
    }
    assert not TERMINAL_CONTROLS.search(plan_markdown(tables))
