"""The plan's rules: what a field accepts, the speaking order, and what "ready" means."""

import copy
import re
import string
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from examples import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.core.approaches import INVITATIONAL, SURPRISE
from tui.core.coach import BOTTOM_LINE_RULES
from tui.core.dates import moment_of
from tui.core.guide import load_guide, slugify
from tui.core.plan import (
    LONG_TEXT_LIMIT,
    MARKS,
    MAX_TARGET_SECONDS,
    NAME_LIMIT,
    PARTS,
    PEOPLE,
    REHEARSAL_TABLES,
    Plan,
    ValidationError,
    clean_record,
    clean_value,
    defaults,
    field_of,
    format_duration,
    parse_duration,
    placed,
    readiness,
    renumbered,
    speaking_order,
)

ALL_FIELDS = [(part.table, spec) for part in PARTS for spec in part.fields]
FIELD_IDS = [f"{table}.{spec.name}" for table, spec in ALL_FIELDS]
TEXT_FIELDS = [(table, spec) for table, spec in ALL_FIELDS if spec.kind in ("text", "long")]
TEXT_FIELD_IDS = [f"{table}.{spec.name}" for table, spec in TEXT_FIELDS]

# C0 and C1 controls, DEL, bidirectional overrides and the Unicode line separators.
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CONTROLS_KEPT_IN_LONG_TEXT = {"\n", "\t"}

anything = st.one_of(
    st.text(),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def superscript_digit_text(value: object) -> bool:
    """Text like "²" that str.isdigit() accepts but int() refuses."""
    return isinstance(value, str) and value.strip().isdigit() and not value.strip().isdecimal()


def assert_acceptable(spec, value) -> None:
    """What clean_value gave back is something this field may hold."""
    if spec.kind == "bool":
        assert isinstance(value, bool)
    elif spec.kind == "number":
        assert type(value) is int and value >= 0
    elif spec.kind == "duration":
        assert type(value) is int and 1 <= value <= MAX_TARGET_SECONDS
    elif spec.kind in ("moment", "day"):
        assert value == "" or moment_of(value) is not None
        if spec.kind == "day":
            assert len(value) in (0, len("2026-12-20"))
    else:
        assert isinstance(value, str) and len(value) <= spec.limit
        if spec.kind == "choice":
            assert value in spec.choices or value == spec.default  # "" for not chosen yet
        allowed = CONTROLS_KEPT_IN_LONG_TEXT if spec.kind == "long" else set()
        assert set(ANY_CONTROL.findall(value)) <= allowed
        assert "\r" not in value


# --- what each field accepts ---------------------------------------------------------


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
STORED_MOMENTS = st.builds(
    lambda moment, minutes: (
        moment.replace(second=0, microsecond=0)
        .replace(tzinfo=timezone(timedelta(minutes=minutes)))
        .isoformat()
    ),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)),
    st.integers(-23 * 60, 23 * 60),
)


def valid_values(spec) -> st.SearchStrategy:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "number":
        return st.integers(0, 1_000) | st.integers(0, 10**9)
    if spec.kind == "duration":
        return st.integers(1, MAX_TARGET_SECONDS)
    if spec.kind == "choice":
        return st.sampled_from((*spec.choices, spec.default))
    if spec.kind == "day":
        return st.one_of(st.just(""), DAYS.map(date.isoformat))
    if spec.kind == "moment":
        return st.one_of(st.just(""), DAYS.map(date.isoformat), STORED_MOMENTS)
    if spec.kind == "person":
        return st.one_of(
            st.just(""), st.text(string.ascii_letters + "0123456789_-", min_size=1, max_size=64)
        )
    if spec.kind == "link":
        return st.sampled_from(["", "approaches", "preparation-steps#rehearse", "during#x_1"])
    printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf"))
    if spec.kind == "text":
        return st.text(printable, max_size=60).map(str.strip)
    return st.text(st.one_of(printable, st.sampled_from("\n\t")), max_size=60)


@pytest.mark.parametrize(("table", "spec"), ALL_FIELDS, ids=FIELD_IDS)
@settings(max_examples=30)
@given(data=st.data())
def test_a_valid_value_is_kept_exactly(table, spec, data):
    value = data.draw(valid_values(spec))
    assert clean_value(spec, value) == value


@pytest.mark.parametrize(("table", "spec"), ALL_FIELDS, ids=FIELD_IDS)
@settings(max_examples=examples(60))
@given(value=anything)
def test_any_input_is_cleaned_or_refused_in_plain_words(table, spec, value):
    if spec.kind == "number":
        assume(not superscript_digit_text(value))
    try:
        cleaned = clean_value(spec, value)
    except ValidationError as refusal:
        if spec.kind != "duration" or not isinstance(value, str):
            assert spec.label in str(refusal)
        return
    assert_acceptable(spec, cleaned)
    assert clean_value(spec, cleaned) == cleaned  # cleaning again changes nothing


@pytest.mark.parametrize(("table", "spec"), ALL_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("value", [None, 1.5, [], {}, object()])
def test_values_of_the_wrong_kind_are_refused_naming_the_field(table, spec, value):
    with pytest.raises(ValidationError, match=re.escape(spec.label)):
        clean_value(spec, value)


def test_text_fields_refuse_numbers_and_yes_no_fields_refuse_text():
    name = field_of(PEOPLE, "name")
    attending = field_of(PEOPLE, "attending")
    with pytest.raises(ValidationError, match="Name must be text"):
        clean_value(name, 7)
    with pytest.raises(ValidationError, match="Will be at the meeting must be yes or no"):
        clean_value(attending, "yes")
    with pytest.raises(ValidationError, match="Will be at the meeting"):
        clean_value(attending, 1)


def test_whole_numbers_from_the_keyboard():
    order = field_of(PEOPLE, "order")
    assert clean_value(order, " 3 ") == 3
    assert clean_value(order, "") == 0
    assert clean_value(order, "1001") == 1001  # a plan may have more people than that
    for refused in ("-1", "2.5", "two", True, 3.0, -1):
        with pytest.raises(ValidationError, match="Place in the speaking order"):
            clean_value(order, refused)


@pytest.mark.parametrize("typed", ["²", "1" * 5_000], ids=["superscript-two", "5000-digits"])
def test_odd_digits_in_a_number_field_are_refused_in_plain_words(typed):
    order = field_of(PEOPLE, "order")
    with pytest.raises(ValidationError, match="Place in the speaking order"):
        clean_value(order, typed)


@pytest.mark.parametrize("typed", ["soon", "2:75"])
def test_a_refused_length_of_time_names_the_field(typed):
    target = field_of(PEOPLE, "target_seconds")
    with pytest.raises(ValidationError, match="Target length"):
        clean_value(target, typed)


@pytest.mark.parametrize(("table", "spec"), TEXT_FIELDS, ids=TEXT_FIELD_IDS)
def test_text_up_to_the_limit_is_kept_and_one_more_character_is_refused(table, spec):
    assert clean_value(spec, "x" * spec.limit) == "x" * spec.limit
    with pytest.raises(ValidationError, match=f"{re.escape(spec.label)} is too long"):
        clean_value(spec, "x" * (spec.limit + 1))


def test_the_limits_are_200_for_names_and_20000_for_statements():
    assert field_of(PEOPLE, "name").limit == NAME_LIMIT == 200
    assert field_of(PEOPLE, "statement").limit == LONG_TEXT_LIMIT == 20_000
    with pytest.raises(ValidationError, match="201 characters, the limit is 200"):
        clean_value(field_of(PEOPLE, "name"), "x" * 201)
    with pytest.raises(ValidationError, match="20,001 characters, the limit is 20,000"):
        clean_value(field_of(PEOPLE, "statement"), "x" * 20_001)


controls = st.sampled_from(["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\r"])
words = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8)


@given(pieces=st.lists(st.one_of(words, controls, st.just("\n")), max_size=12))
def test_control_characters_are_removed_and_only_long_fields_keep_line_breaks(pieces):
    typed = "".join(pieces)
    name = clean_value(field_of(PEOPLE, "name"), typed)
    statement = clean_value(field_of(PEOPLE, "statement"), typed)
    assert not ANY_CONTROL.search(name)
    assert set(ANY_CONTROL.findall(statement)) <= {"\n"}
    one_break_each = typed.replace("\r\n", "\n")
    assert statement.count("\n") == one_break_each.count("\n") + one_break_each.count("\r")
    for word in (piece for piece in pieces if piece.isalnum()):
        assert word in name and word in statement


def test_a_name_on_two_lines_becomes_one_line_and_a_statement_keeps_its_paragraphs():
    typed = "Dear Sam,\r\n\r\nI love you.\x1b[2J"
    assert clean_value(field_of(PEOPLE, "name"), typed) == "Dear Sam,  I love you. [2J"
    assert clean_value(field_of(PEOPLE, "statement"), typed) == "Dear Sam,\n\nI love you.[2J"


# --- whole records ---------------------------------------------------------------------------


def test_a_record_is_cleaned_field_by_field_and_missing_fields_get_defaults():
    cleaned = clean_record(PEOPLE, {"id": "anna", "name": " Anna ", "target_seconds": "1:30"})
    assert cleaned == {**defaults(PEOPLE), "id": "anna", "name": "Anna", "target_seconds": 90}
    partial = clean_record(PEOPLE, {"name": " Anna "}, partial=True)
    assert partial == {"name": "Anna"}


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"shoe_size": 44}, "People has no field called 'shoe_size'"),
        ({"id": ""}, "id must be a short piece of text"),
        ({"id": 7}, "id must be a short piece of text"),
        ({"id": "x" * 65}, "id must be a short piece of text"),
        ({"role": "boss"}, "Role must be one of"),
    ],
)
def test_a_record_with_a_bad_field_is_refused_whole(record, problem):
    with pytest.raises(ValidationError, match=re.escape(problem)):
        clean_record(PEOPLE, record)


def test_a_saved_plan_missing_newer_fields_is_read_with_their_defaults():
    plan = Plan.from_tables({"people": [{"id": "anna", "name": "Anna"}], "plan": []})
    assert plan.people == [{**defaults(PEOPLE), "id": "anna", "name": "Anna"}]
    assert plan.title == ""
    assert plan.records["meeting"]["private"] is False


@pytest.mark.parametrize("odd", [{"name": None}, {"statement": None}, {"order": "2"}])
def test_a_saved_value_of_the_wrong_type_does_not_stop_the_plan_being_shown(odd):
    people = [{"id": "anna", "name": "Anna", "order": 1}, {"id": "ben", **odd}]
    plan = Plan.from_tables({"people": people})
    assert "anna" in [person["id"] for person in plan.people]
    assert len(readiness(plan, TODAY)) >= 7


def test_saved_text_over_the_limit_is_shown_cut_and_listed():
    """A file edited by hand can hold more than a field takes: it is cleaned as a field is,
    shown cut to the limit, and listed so that the user can be told."""
    tables = {
        "people": [
            {"id": "anna", "name": " " + "A" * 300 + " ", "statement": "s\x1b" * 25_000, "order": 1}
        ],
        "plan": [{"id": "plan", "title": "T" * 250}],
        "meeting": [{"id": "meeting", "how_brought": "ok"}],
    }
    plan = Plan.from_tables(tables)
    anna = plan.record("people", "anna")
    assert anna["name"] == "A" * NAME_LIMIT
    assert anna["statement"] == "s" * LONG_TEXT_LIMIT
    assert plan.title == "T" * NAME_LIMIT
    assert [(cut.table, cut.record_id, cut.field_name, cut.length) for cut in plan.cut] == [
        ("plan", "plan", "title", 250),
        ("people", "anna", "name", 300),
        ("people", "anna", "statement", 25_000),
    ]
    notes = plan.notes_for("people", "anna")
    assert set(notes) == {"name", "statement"}
    assert "25,000 characters" in notes["statement"]
    assert "only the first 20,000 are shown" in notes["statement"]
    assert plan.notes_for("meeting", "meeting") == {}


def test_text_within_the_limit_is_not_listed_as_cut():
    plan = Plan.from_tables({"people": [{"id": "anna", "name": "A" * NAME_LIMIT}]})
    assert plan.cut == []


# --- lengths of time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("2:00", 120),
        ("2", 120),
        (" 2 ", 120),
        ("90", 5400),
        ("90s", 90),
        ("90 seconds", 90),
        ("2 min", 120),
        ("2 minutes", 120),
        ("2M", 120),
        (" 1:30 ", 90),
        ("0:45", 45),
        ("60:00", 3600),
    ],
)
def test_lengths_of_time_people_write(typed, seconds):
    assert parse_duration(typed) == seconds


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "soon", "2:60", "1:2:3", "-5", "2.5", "2 hours", "1e3", ":30", "2:", "9" * 7],
)
def test_what_is_not_a_length_of_time_is_refused(typed):
    with pytest.raises(ValidationError):
        parse_duration(typed)


@pytest.mark.parametrize(
    "typed", ["9" * 5_000, "9" * 5_000 + ":00", "1:" + "0" * 5_000, "9" * 5_000 + " min"]
)
def test_huge_numbers_are_refused_in_plain_words_not_a_crash(typed):
    with pytest.raises(ValidationError) as refusal:
        parse_duration(typed)
    assert type(refusal.value) is ValidationError


@given(typed=st.text(max_size=20))
def test_any_text_is_a_length_of_time_or_refused_in_plain_words(typed):
    try:
        seconds = parse_duration(typed)
    except ValidationError:
        return
    assert type(seconds) is int and seconds >= 0


@given(seconds=st.integers(0, 9_999 * 60 + 59))
def test_a_shown_length_of_time_reads_back_the_same(seconds):
    shown = format_duration(seconds)
    assert re.fullmatch(r"\d+:\d\d", shown)
    assert parse_duration(shown) == seconds


def test_a_length_of_time_is_shown_as_minutes_and_seconds():
    assert [format_duration(s) for s in (0, 5, 60, 90, 119.9, 3600)] == [
        "0:00",
        "0:05",
        "1:00",
        "1:30",
        "1:59",
        "60:00",
    ]


@pytest.mark.parametrize(("typed", "refused"), [("0", True), ("60:00", False), ("60:01", True)])
def test_a_target_is_at_least_a_second_and_at_most_an_hour(typed, refused):
    target = field_of(PEOPLE, "target_seconds")
    if refused:
        with pytest.raises(ValidationError, match="Target length must be between 1 and 3600"):
            clean_value(target, typed)
    else:
        assert clean_value(target, typed) == parse_duration(typed)


# --- the speaking order ----------------------------------------------------------------------


def person(person_id: str, name: str = "", order: int = 0, **fields) -> dict:
    defaults = {spec.name: spec.default for spec in PEOPLE.fields}
    return {**defaults, "id": person_id, "name": name or person_id, "order": order, **fields}


groups = st.lists(
    st.tuples(st.sampled_from(["ann", "Ben", "cleo", "Dan", ""]), st.integers(0, 4)),
    max_size=7,
).map(lambda rows: [person(f"p{n}", name, order) for n, (name, order) in enumerate(rows)])


@given(people=groups)
def test_speaking_order_puts_places_first_then_those_without_a_place(people):
    ordered = speaking_order(people)
    assert sorted(p["id"] for p in ordered) == sorted(p["id"] for p in people)
    keys = [(p["order"] == 0, p["order"], p["name"].lower()) for p in ordered]
    assert keys == sorted(keys)


@given(people=groups, data=st.data())
def test_renumbering_gives_places_one_to_n_and_moves_one_person_by_one(people, data):
    assume(people)
    before = [p["id"] for p in speaking_order(people)]
    moving = data.draw(st.sampled_from(before))
    step = data.draw(st.sampled_from([-1, 1]))
    places = renumbered(people, moving, step)
    after = sorted(places, key=places.get)
    assert sorted(places.values()) == list(range(1, len(people) + 1))
    index = before.index(moving)
    target = min(max(index + step, 0), len(before) - 1)
    assert after.index(moving) == target
    others_before = [i for i in before if i != moving]
    assert [i for i in after if i != moving] == others_before


def test_moving_the_first_person_up_or_the_last_down_changes_nothing():
    people = [person("a", "Anna", 1), person("b", "Ben", 2), person("c", "Cleo", 3)]
    unchanged = {"a": 1, "b": 2, "c": 3}
    assert renumbered(people, "a", -1) == unchanged
    assert renumbered(people, "c", 1) == unchanged
    assert renumbered(people, "b", -1) == {"b": 1, "a": 2, "c": 3}
    assert renumbered(people, "b", 1) == {"a": 1, "c": 2, "b": 3}


@given(people=groups, data=st.data())
def test_placing_someone_puts_them_at_that_place_and_keeps_the_others_in_order(people, data):
    assume(people)
    before = [p["id"] for p in speaking_order(people)]
    moving = data.draw(st.sampled_from(before))
    place = data.draw(st.integers(0, 9))
    places = placed(people, moving, place)
    after = sorted(places, key=places.get)
    assert sorted(places.values()) == list(range(1, len(people) + 1))
    assert places[moving] == (len(people) if place == 0 else min(place, len(people)))
    assert [i for i in after if i != moving] == [i for i in before if i != moving]


def test_a_typed_place_moves_that_person_there_and_renumbers_the_others():
    people = [person("a", "Anna", 1), person("b", "Ben", 2), person("c", "Cleo", 3)]
    assert placed(people, "c", 1) == {"c": 1, "a": 2, "b": 3}
    assert placed(people, "a", 2) == {"b": 1, "a": 2, "c": 3}
    assert placed(people, "a", 9) == {"b": 1, "c": 2, "a": 3}
    assert placed(people, "a", 0) == {"b": 1, "c": 2, "a": 3}


def test_renumbering_without_a_move_closes_gaps_and_places_the_unplaced_last():
    people = [person("z", "Zed", 0), person("b", "Ben", 7), person("a", "Anna", 2)]
    assert renumbered(people) == {"a": 1, "b": 2, "z": 3}


# --- readiness ---------------------------------------------------------------------------------

SPECIALIST_AGREED = "A specialist has agreed to help"
TWO_PEOPLE = "At least two people in the group"
STATEMENTS_WRITTEN = "Every statement is written"
STATEMENTS_FIT = "Every statement fits its target length"
SETTING = "A setting is chosen: neutral, comfortable, private"
INTAKE_BOOKED = "A treatment option with intake booked"
REHEARSED = "Everyone has rehearsed at least once"
LAST_REHEARSAL_FITS = "Everyone's last rehearsal was within their target"
TODAY = date(2026, 12, 1)
GOOD_MEETING = {
    "when": "2026-12-20T18:30:00+00:00",
    "who_brings": "Anna",
    "how_brought": "Anna asks him to lunch.",
}
GOOD_SETTING = {
    "place": "Aunt May's house",
    "neutral": True,
    "comfortable": True,
    "private": True,
}
SAFE_MEETING = {
    "naloxone_in_room": True,
    "naloxone_holder": "Anna",
    "emergency_caller": "Ben",
    "stop_signal": "The chair stands up",
    "goes_with_them": "Uncle Tom",
    "children_elsewhere": True,
    "weapons_medicines_away": True,
}
# Each safety item, and the fields that settle it (all of them are needed).
SAFETY_ITEMS = {
    "Naloxone is in the room, and someone holds it": ("naloxone_in_room", "naloxone_holder"),
    "Someone will call the emergency number if needed": ("emergency_caller",),
    "A signal to stop the meeting is agreed": ("stop_signal",),
    "Someone will go with your loved one if they leave": ("goes_with_them",),
    "Any children are cared for elsewhere": ("children_elsewhere",),
    "Weapons and medicines are put away": ("weapons_medicines_away",),
}


def done(tables: dict, label: str) -> bool:
    items = {item.label: item for item in readiness(Plan.from_tables(tables), TODAY)}
    return items[label].done


def attempt(person_id: str, seconds: float = 100.0, number: int = 1) -> dict:
    return {
        "id": f"t-{person_id}-{number}",
        "person_id": person_id,
        "started_at": f"2025-03-0{number}T18:30:00+00:00",
        "seconds": seconds,
    }


def objection_try(objection_id: str, mark: str, day: int = 1, seconds: float = 25.0) -> dict:
    return {
        "id": f"try-{objection_id}-{day}",
        "objection_id": objection_id,
        "started_at": f"2025-03-{day:02}T18:30:00+00:00",
        "seconds": seconds,
        "mark": mark,
    }


def test_each_item_not_yet_done_says_where_it_is_put_right():
    people = [
        person("a", "Anna", 1, statement="I love you.", bottom_line="I will not give money."),
        person("b", "Ben", 2, statement="", bottom_line=""),
    ]
    tables = {
        "people": people,
        "meeting": [{"id": "meeting", "approach": SURPRISE, "who_brings": "Anna"}],
        "safety": [{"id": "safety", "naloxone_in_room": True}],
        "treatments": [{"id": "oak", "name": "Oak", "intake_booked": True, "transport": True}],
        "objections": [{"id": "job", "objection": "My job.", "answer": ""}],
        "tasks": [{"id": "call", "title": "Call the clinic", "owner": ""}],
        "attempts": [attempt("a")],
    }
    places = {item.label: item.fixed_in for item in readiness(Plan.from_tables(tables), TODAY)}
    assert places == {
        "The approach is chosen": "meeting#approach",
        SPECIALIST_AGREED: "specialist#name",
        TWO_PEOPLE: "add:people",
        "The meeting has a date and a time": "meeting#when",
        "Who brings your loved one, and how, is agreed": "meeting#how_brought",
        STATEMENTS_WRITTEN: "people:b#statement",
        STATEMENTS_FIT: "people:b#statement",
        "Everyone who speaks has a bottom line, in case treatment is refused": (
            "people:b#bottom_line"
        ),
        SETTING: "meeting#place",
        "Naloxone is in the room, and someone holds it": "safety#naloxone_holder",
        "Someone will call the emergency number if needed": "safety#emergency_caller",
        "A signal to stop the meeting is agreed": "safety#stop_signal",
        "Someone will go with your loved one if they leave": "safety#goes_with_them",
        "Any children are cared for elsewhere": "safety#children_elsewhere",
        "Weapons and medicines are put away": "safety#weapons_medicines_away",
        INTAKE_BOOKED: "treatments:oak#intake_booked",
        "Transport and a packed bag are ready for the treatment booked": (
            "treatments:oak#bag_packed"
        ),
        "Follow-up after treatment, and what you will do if it is refused, are written": (
            "aftercare#follow_up"
        ),
        REHEARSED: "rehearse:b",
        LAST_REHEARSAL_FITS: "rehearse:b",
        "Every objection has a prepared answer": "objections:job#answer",
        "Every objection practised, and its last try went well": "rehearse:objections",
        "Every open task has someone who sees to it": "tasks:call#owner",
        "No task is overdue": "",
    }


def test_an_empty_plan_is_ready_in_nothing_but_having_no_task_overdue():
    items = readiness(Plan.from_tables({}), TODAY)
    assert len(items) >= 7
    assert [item.label for item in items if item.done] == ["No task is overdue"]


@pytest.mark.parametrize(
    ("specialist", "ready"),
    [
        ({"name": "Dr Lee"}, False),
        ({"agreed": True}, False),
        ({"name": "   ", "agreed": True}, False),
        ({"name": "Dr Lee", "agreed": True}, True),
    ],
)
def test_a_specialist_counts_once_named_and_agreed(specialist, ready):
    assert done({"specialist": [{"id": "specialist", **specialist}]}, SPECIALIST_AGREED) is ready


def test_a_specialist_without_a_name_is_explained():
    plan = Plan.from_tables({"specialist": [{"id": "specialist", "agreed": True}]})
    item = readiness(plan, TODAY)[0]
    assert not item.done and item.detail


@pytest.mark.parametrize(("count", "ready"), [(0, False), (1, False), (2, True), (3, True)])
def test_the_group_needs_two_people(count, ready):
    people = [person(f"p{n}") for n in range(count)]
    assert done({"people": people}, TWO_PEOPLE) is ready


@pytest.mark.parametrize(
    ("statements", "ready"),
    [
        ([], False),
        (["I love you."], True),
        (["I love you.", ""], False),
        (["I love you.", " \n "], False),
        (["I love you.", "Please come."], True),
    ],
)
def test_every_statement_must_be_written(statements, ready):
    people = [person(f"p{n}", statement=text) for n, text in enumerate(statements)]
    assert done({"people": people}, STATEMENTS_WRITTEN) is ready


@settings(max_examples=50)
@given(word_count=st.integers(1, 400), target=st.integers(1, 200))
def test_a_statement_fits_when_130_words_a_minute_reach_no_further_than_the_target(
    word_count, target
):
    people = [person("p", statement=" ".join(["word"] * word_count), target_seconds=target)]
    assert done({"people": people}, STATEMENTS_FIT) is (word_count * 60 / 130 <= target)


def test_statements_fit_exactly_at_the_target_and_one_word_more_is_too_long():
    two_minutes = " ".join(["word"] * 260)
    fits = person("a", statement=two_minutes, target_seconds=120)
    assert done({"people": [fits]}, STATEMENTS_FIT)
    too_long = person("b", statement=two_minutes + " more", target_seconds=120)
    assert not done({"people": [fits, too_long]}, STATEMENTS_FIT)
    unwritten = person("c", statement="")
    assert not done({"people": [fits, unwritten]}, STATEMENTS_FIT)
    assert not done({}, STATEMENTS_FIT)


@pytest.mark.parametrize(
    "missing",
    [
        {"place": ""},
        {"place": "  "},
        {"neutral": False},
        {"comfortable": False},
        {"private": False},
    ],
)
def test_the_setting_needs_a_place_that_is_neutral_comfortable_and_private(missing):
    assert done({"meeting": [{"id": "meeting", **GOOD_SETTING}]}, SETTING)
    assert not done({"meeting": [{"id": "meeting", **GOOD_SETTING, **missing}]}, SETTING)


def safety_items(safety: dict) -> dict:
    plan = Plan.from_tables({"safety": [{"id": "safety", **safety}]})
    return {item.label: item for item in readiness(plan, TODAY) if item.label in SAFETY_ITEMS}


def test_each_safety_item_is_in_readiness_and_links_to_the_guide():
    items = safety_items({})
    assert list(items) == list(SAFETY_ITEMS)
    for item in items.values():
        assert not item.done and item.detail
        assert item.guide_link == "during#safety-at-the-meeting"
    assert all(item.done and not item.detail for item in safety_items(SAFE_MEETING).values())


@pytest.mark.parametrize(
    ("label", "field"),
    [(label, field) for label, fields in SAFETY_ITEMS.items() for field in fields],
)
def test_a_safety_item_is_done_only_with_each_of_its_fields(label, field):
    unset = {field: "  " if isinstance(SAFE_MEETING[field], str) else False}
    items = safety_items({**SAFE_MEETING, **unset})
    assert not items[label].done and items[label].detail
    assert all(item.done for other, item in items.items() if other != label)


def test_naloxone_in_the_room_without_a_holder_asks_who_holds_it():
    detail = safety_items({"naloxone_in_room": True})[
        "Naloxone is in the room, and someone holds it"
    ].detail
    assert detail == "Say who holds it."


def test_a_treatment_counts_once_an_intake_is_booked():
    hope = {"id": "hope", "name": "Hope House"}
    assert not done({"treatments": [hope]}, INTAKE_BOOKED)
    booked = {"id": "oak", "name": "Oak Clinic", "intake_booked": True}
    assert done({"treatments": [hope, booked]}, INTAKE_BOOKED)


def test_everyone_must_have_rehearsed():
    people = [person("a"), person("b")]
    assert not done({"people": people}, REHEARSED)
    assert not done({"people": people, "attempts": [attempt("a")]}, REHEARSED)
    assert done({"people": people, "attempts": [attempt("a"), attempt("b")]}, REHEARSED)
    assert not done({"attempts": [attempt("a")]}, REHEARSED)


def test_a_statement_rewritten_since_it_was_timed_is_not_rehearsed_and_readiness_says_so():
    from tui.core.rehearsal import statement_fingerprint

    people = [
        person("a", "Anna", statement="I love you. Please come with us."),
        person("b", "Ben", statement="I am here for you."),
        person("c", "Cleo", statement="We are all here."),
    ]
    timed_before = {**attempt("a"), "fingerprint": statement_fingerprint("I love you.")}
    timed_as_written = {**attempt("b"), "fingerprint": statement_fingerprint("I am here for you.")}
    tables = {"people": people, "attempts": [timed_before, timed_as_written]}
    items = {item.label: item for item in readiness(Plan.from_tables(tables), TODAY)}
    assert not items[REHEARSED].done
    assert items[REHEARSED].detail == "Not yet: Cleo; Changed since last rehearsed: Anna"
    timed_again = {
        **attempt("a", number=2),
        "fingerprint": statement_fingerprint("I love you.  Please come with us.\n"),
    }
    old_attempt = attempt("c")  # saved before fingerprints were kept: counts as it did
    assert done({**tables, "attempts": [*tables["attempts"], timed_again, old_attempt]}, REHEARSED)
    # A turn in a run-through counts only for the statement as it was read, too.
    read_before = run_through(("a", 100.0), ("c", 90.0))
    read_before["splits"][0]["fingerprint"] = statement_fingerprint("I love you.")
    with_run = {**tables, "attempts": [timed_as_written], "runs": [read_before]}
    items = {item.label: item for item in readiness(Plan.from_tables(with_run), TODAY)}
    assert items[REHEARSED].detail == "Changed since last rehearsed: Anna"


@pytest.mark.parametrize("fingerprint", ["", "not hex at all!!", 42, "ABCDEF0123456789"])
def test_a_fingerprint_a_hand_edited_file_spoiled_is_read_as_none(fingerprint):
    people = [person("a", "Anna", statement="I love you.")]
    spoiled = {**attempt("a"), "fingerprint": fingerprint}
    [read] = Plan.from_tables({"people": people, "attempts": [spoiled]}).rehearsals_of("a")
    assert read.fingerprint is None and read.seconds == 100.0


@pytest.mark.parametrize(
    ("seconds", "ready"),
    [
        ((100.0,), True),
        ((120.0,), True),
        ((120.1,), False),
        ((150.0, 110.0), True),
        ((110.0, 150.0), False),
    ],
)
def test_the_last_rehearsal_must_be_within_the_target(seconds, ready):
    people = [person("a", target_seconds=120), person("b", target_seconds=60)]
    attempts = [attempt("a", s, number) for number, s in enumerate(seconds, start=1)]
    tables = {"people": people, "attempts": [*attempts, attempt("b", 60.0)]}
    assert done(tables, LAST_REHEARSAL_FITS) is ready
    assert not done({"people": people, "attempts": attempts}, LAST_REHEARSAL_FITS)


def run_through(*turns: tuple[str, float], started_at: str = "2025-03-05T18:30:00+00:00") -> dict:
    return {
        "id": f"r-{started_at}",
        "started_at": started_at,
        "total_seconds": sum(seconds for _, seconds in turns),
        "splits": [{"person_id": who, "seconds": seconds} for who, seconds in turns],
    }


def test_a_run_through_counts_as_a_rehearsal_for_everyone_who_spoke_in_it():
    people = [person("a", "Anna"), person("b", "Ben"), person("c", "Cleo")]
    ended_early = run_through(("a", 100.0), ("b", 100.0))
    items = {
        item.label: item
        for item in readiness(Plan.from_tables({"people": people, "runs": [ended_early]}), TODAY)
    }
    assert not items[REHEARSED].done and items[REHEARSED].detail == "Not yet: Cleo"
    assert done({"people": people, "runs": [ended_early], "attempts": [attempt("c")]}, REHEARSED)
    everyone = run_through(("a", 100.0), ("b", 100.0), ("c", 100.0))
    assert done({"people": people, "runs": [everyone]}, REHEARSED)
    assert done({"people": people, "runs": [everyone]}, LAST_REHEARSAL_FITS)


@pytest.mark.parametrize(
    ("attempt_at", "attempt_seconds", "run_at", "run_seconds", "ready"),
    [
        ("2025-03-01T18:00:00+00:00", 150.0, "2025-03-02T18:00:00+00:00", 110.0, True),
        ("2025-03-02T18:00:00+00:00", 150.0, "2025-03-01T18:00:00+00:00", 110.0, False),
        ("2025-03-01T18:00:00+00:00", 110.0, "2025-03-02T18:00:00+00:00", 150.0, False),
        ("2025-03-02T18:00:00+00:00", 110.0, "2025-03-01T18:00:00+00:00", 150.0, True),
        # The same evening written in two time zones: the run-through, at 18:30 UTC, came last.
        ("2025-03-01T20:00:00+02:00", 150.0, "2025-03-01T19:30:00+01:00", 110.0, True),
        ("2025-03-01T19:30:00+01:00", 150.0, "2025-03-01T20:00:00+02:00", 110.0, False),
    ],
)
def test_the_last_rehearsal_is_the_latest_attempt_or_run_through_turn(
    attempt_at, attempt_seconds, run_at, run_seconds, ready
):
    alone = {"id": "t1", "person_id": "a", "started_at": attempt_at, "seconds": attempt_seconds}
    tables = {
        "people": [person("a", target_seconds=120)],
        "attempts": [alone],
        "runs": [run_through(("a", run_seconds), started_at=run_at)],
    }
    assert done(tables, LAST_REHEARSAL_FITS) is ready


def test_a_rehearsal_whose_time_cannot_be_read_does_not_count():
    people = [person("a")]
    unreadable = {**attempt("a"), "started_at": "last Tuesday"}
    assert not done({"people": people, "attempts": [unreadable]}, REHEARSED)
    naive = run_through(("a", 100.0), started_at="2025-03-05T18:30:00")
    assert not done({"people": people, "runs": [naive]}, REHEARSED)


EARLIER = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2024, 12, 31),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=-9)), timezone(timedelta(hours=5, minutes=30))]
    ),
)
READING = st.tuples(st.sampled_from(["a", "b"]), EARLIER, st.floats(0, 300))


@settings(max_examples=examples(80))
@given(
    attempts=st.lists(READING, max_size=6),
    runs=st.lists(st.lists(READING, min_size=1, max_size=2), max_size=3),
    last_as_run_through=st.booleans(),
    last_seconds=st.tuples(st.floats(0, 300), st.floats(0, 300)),
    shuffle=st.randoms(use_true_random=False),
)
def test_the_latest_rehearsal_decides_whatever_came_before_and_however_it_is_stored(
    attempts, runs, last_as_run_through, last_seconds, shuffle
):
    people = [person("a", target_seconds=120), person("b", target_seconds=60)]
    last_at = "2025-06-01T09:00:00+14:00"  # later than every earlier reading, in any zone
    attempt_rows = [
        {"id": f"t{n}", "person_id": who, "started_at": when.isoformat(), "seconds": seconds}
        for n, (who, when, seconds) in enumerate(attempts)
    ]
    run_rows = [
        run_through(
            *[(who, seconds) for who, _, seconds in turns], started_at=turns[0][1].isoformat()
        )
        for turns in runs
    ]
    last = list(zip(("a", "b"), last_seconds, strict=True))
    if last_as_run_through:
        run_rows.append(run_through(*last, started_at=last_at))
    else:
        attempt_rows += [
            {"id": f"last-{who}", "person_id": who, "started_at": last_at, "seconds": seconds}
            for who, seconds in last
        ]
    shuffle.shuffle(attempt_rows)
    shuffle.shuffle(run_rows)
    tables = {"people": people, "attempts": attempt_rows, "runs": run_rows}
    assert done(tables, REHEARSED)
    assert done(tables, LAST_REHEARSAL_FITS) is (last_seconds[0] <= 120 and last_seconds[1] <= 60)


def test_a_statement_fits_at_the_speakers_own_pace_once_two_timed_tries_agree():
    two_minutes_at_130 = " ".join(["word"] * 260)
    anna = person("a", statement=two_minutes_at_130, target_seconds=120)
    # Anna reads her 260 words in 130 seconds, twice: 120 words a minute, so 2:10.
    slow = [{**attempt("a", 130.0, number), "words": 260} for number in (1, 2)]
    assert done({"people": [anna]}, STATEMENTS_FIT)
    assert done({"people": [anna], "attempts": slow[:1]}, STATEMENTS_FIT)  # one is not enough
    assert not done({"people": [anna], "attempts": slow}, STATEMENTS_FIT)
    items = {
        item.label: item
        for item in readiness(Plan.from_tables({"people": [anna], "attempts": slow}), TODAY)
    }
    assert items[STATEMENTS_FIT].detail == "Too long: a"


def test_attempts_without_a_word_count_leave_the_general_pace():
    anna = person("a", statement=" ".join(["word"] * 260), target_seconds=120)
    untimed_words = [attempt("a", 130.0, 1), attempt("a", 130.0, 2)]
    assert done({"people": [anna], "attempts": untimed_words}, STATEMENTS_FIT)
    odd_words = [{**row, "words": "260"} for row in untimed_words]
    plan = Plan.from_tables({"people": [anna], "attempts": odd_words})
    assert plan.pace_of("a").tries == 0
    assert len(plan.rehearsals_of("a")) == 2  # their times still count
    assert "words" not in plan.attempts_of("a")[0]


OBJECTIONS_PRACTISED = "Every objection practised, and its last try went well"
JOB = {"id": "job", "objection": "I can't lose my job."}
QUIT = {"id": "quit", "objection": "  I'll quit on my own, when I'm ready, I promise you.  "}


@pytest.mark.parametrize(
    ("tries", "ready", "detail"),
    [
        ([], False, "Not practised: “I can't lose my job.”, “I'll quit on my own, when I'm…”"),
        (
            [objection_try("job", "went well")],
            False,
            "Not practised: “I'll quit on my own, when I'm…”",
        ),
        (
            [objection_try("job", "went well"), objection_try("quit", "needs work")],
            False,
            "Needs work: “I'll quit on my own, when I'm…”",
        ),
        (
            [
                objection_try("job", "needs work", day=1),
                objection_try("quit", "went well"),
                objection_try("job", "went well", day=2),
            ],
            True,
            "",
        ),
        (
            [
                objection_try("job", "went well", day=2),
                objection_try("quit", "went well"),
                objection_try("job", "needs work", day=1),
            ],
            True,
            "",
        ),  # the latest counts
        (
            [
                objection_try("job", "went well", day=1),
                objection_try("quit", "went well"),
                objection_try("job", "needs work", day=2),
            ],
            False,
            "Needs work: “I can't lose my job.”",
        ),
    ],
)
def test_every_objection_must_be_practised_and_its_last_try_go_well(tries, ready, detail):
    plan = Plan.from_tables({"objections": [JOB, QUIT], "objection_tries": tries})
    item = {item.label: item for item in readiness(plan, TODAY)}[OBJECTIONS_PRACTISED]
    assert (item.done, item.detail, item.guide_link) == (ready, detail, "during")


def test_without_objections_the_drill_is_not_ready_and_says_what_to_do():
    item = {item.label: item for item in readiness(Plan.from_tables({}), TODAY)}[
        OBJECTIONS_PRACTISED
    ]
    assert not item.done
    assert item.detail == "Write down what your loved one may say, then practise answering it."


def test_tries_that_cannot_be_read_or_belong_to_no_objection_do_not_count():
    unreadable = {**objection_try("job", "went well"), "started_at": "last Tuesday"}
    unknown_mark = {**objection_try("job", "went well"), "mark": "fine"}
    plan = Plan.from_tables(
        {
            "objections": [JOB],
            "objection_tries": [unreadable, unknown_mark, objection_try("gone", "went well")],
        }
    )
    assert plan.last_try("job") is None
    assert not done({"objections": [JOB], "objection_tries": [unreadable]}, OBJECTIONS_PRACTISED)


def test_an_objection_answer_has_a_target_of_30_seconds_unless_set():
    plan = Plan.from_tables({"objections": [JOB, {**QUIT, "target_seconds": 45}]})
    assert [row["target_seconds"] for row in plan.lists["objections"]] == [30, 45]


STATEMENT = "I love you and I want you to get help today."
BOTTOM_LINE = "I will no longer give you money."
COMPLETE_PLAN = {
    "people": [
        person("a", statement=STATEMENT, bottom_line=BOTTOM_LINE),
        person("b", statement=STATEMENT, bottom_line=BOTTOM_LINE),
    ],
    "specialist": [{"id": "specialist", "name": "Dr Lee", "agreed": True}],
    "meeting": [{"id": "meeting", **GOOD_SETTING, **GOOD_MEETING, "approach": SURPRISE}],
    "treatments": [
        {
            "id": "oak",
            "name": "Oak Clinic",
            "intake_booked": True,
            "transport": True,
            "bag_packed": True,
        }
    ],
    "attempts": [attempt("a"), attempt("b")],
    "tasks": [{"id": "t1", "title": "Pack the bag", "owner": "b", "due": "2026-12-01"}],
    "safety": [{"id": "safety", **SAFE_MEETING}],
    "objections": [{"id": "job", "objection": "I can't lose my job.", "answer": "Leave is safe."}],
    "objection_tries": [objection_try("job", "went well")],
    "aftercare": [
        {
            "id": "aftercare",
            "follow_up": "Family group on Tuesdays.",
            "if_refused": "We go to Al-Anon.",
        }
    ],
}


def not_ready_in(changes: dict) -> dict[str, str]:
    """What the complete plan, changed, is not ready in: each item's label and detail."""
    items = readiness(Plan.from_tables({**COMPLETE_PLAN, **changes}), TODAY)
    return {item.label: item.detail for item in items if not item.done}


def test_everyone_who_speaks_needs_a_bottom_line():
    people = [COMPLETE_PLAN["people"][0], person("b", name="Ben", statement=STATEMENT)]
    assert not_ready_in({"people": people}) == {
        "Everyone who speaks has a bottom line, in case treatment is refused": "Waiting on: Ben"
    }


def test_every_objection_needs_a_prepared_answer():
    objections = [{"id": "job", "objection": "I can't lose my job.", "answer": "  "}]
    assert not_ready_in({"objections": objections}) == {
        "Every objection has a prepared answer": "No answer yet: “I can't lose my job.”"
    }


@pytest.mark.parametrize(
    ("ticked", "detail"),
    [
        ({"transport": False}, "Not yet ticked: transport."),
        ({"bag_packed": False}, "Not yet ticked: a packed bag."),
        ({"transport": False, "bag_packed": False}, "Not yet ticked: transport and a packed bag."),
    ],
)
def test_the_treatment_booked_needs_transport_and_a_packed_bag(ticked, detail):
    treatments = [{**COMPLETE_PLAN["treatments"][0], **ticked}]
    assert not_ready_in({"treatments": treatments}) == {
        "Transport and a packed bag are ready for the treatment booked": detail
    }


def test_transport_and_a_bag_for_an_option_not_booked_do_not_count():
    treatments = [{"id": "oak", "name": "Oak", "transport": True, "bag_packed": True}]
    not_ready = not_ready_in({"treatments": treatments})
    assert list(not_ready) == [
        "A treatment option with intake booked",
        "Transport and a packed bag are ready for the treatment booked",
    ]
    assert not_ready["Transport and a packed bag are ready for the treatment booked"] == (
        "Book an intake first."
    )


@pytest.mark.parametrize(
    ("aftercare", "detail"),
    [
        ({"follow_up": ""}, "Not yet written: follow-up after treatment."),
        ({"if_refused": " "}, "Not yet written: if refused."),
    ],
)
def test_follow_up_and_if_refused_must_be_written(aftercare, detail):
    written = [{**COMPLETE_PLAN["aftercare"][0], **aftercare}]
    assert not_ready_in({"aftercare": written}) == {
        "Follow-up after treatment, and what you will do if it is refused, are written": detail
    }


@pytest.mark.parametrize("approach", [SURPRISE, INVITATIONAL])
def test_a_complete_plan_is_ready_in_everything(approach):
    tables = {**COMPLETE_PLAN, "meeting": [{**COMPLETE_PLAN["meeting"][0], "approach": approach}]}
    items = readiness(Plan.from_tables(tables), TODAY)
    assert [item.label for item in items if not item.done] == []


# --- links into the guide -------------------------------------------------------------------


def guide_links() -> list[str]:
    links = [item.guide_link for item in readiness(Plan.from_tables({}), TODAY)]
    links += [rule.guide_link for rule in BOTTOM_LINE_RULES]
    return links + [part.guide_link for part in PARTS if part.guide_link]


@pytest.mark.parametrize("link", sorted(set(guide_links())))
def test_every_guide_link_opens_an_existing_section_at_an_existing_heading(link):
    guide = load_guide()
    section_id, _, slug = link.partition("#")
    assert section_id in guide
    if slug:
        section = guide[section_id]
        assert slug in [heading.slug for heading in section.headings]
        block = section.blocks[section.block_for_heading(slug)]
        assert block.kind == "heading" and slugify(block.text) == slug


SOME_TIMES = ["2025-03-01T18:30:00+00:00", "2025-03-01T18:30:00+01:00", "last Tuesday"]
ATTEMPT_ROW = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["t0", "t1", "t2"]),
        "person_id": st.sampled_from(["a", "b"]),
        "started_at": st.sampled_from(SOME_TIMES),
        "seconds": st.sampled_from([60.0, 95.5]),
    },
    optional={"words": st.sampled_from([120, "many"]), "fingerprint": st.just("0123456789abcdef")},
)
RUN_ROW = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["r0", "r1"]),
        "started_at": st.sampled_from(SOME_TIMES),
        "total_seconds": st.just(200.0),
        "splits": st.lists(
            st.fixed_dictionaries(
                {"person_id": st.sampled_from(["a", "b"]), "seconds": st.sampled_from([50, 80])}
            ),
            max_size=2,
        ),
    }
)
TRY_ROW = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["y0", "y1"]),
        "objection_id": st.just("job"),
        "started_at": st.sampled_from(SOME_TIMES),
        "seconds": st.just(20.0),
        "mark": st.sampled_from([*MARKS, "unheard of"]),
    }
)
REHEARSALS = st.fixed_dictionaries(
    {
        "attempts": st.lists(ATTEMPT_ROW, max_size=4),
        "runs": st.lists(RUN_ROW, max_size=2),
        "objection_tries": st.lists(TRY_ROW, max_size=2),
    }
)


@settings(max_examples=examples(150))
@given(
    before=REHEARSALS,
    after=REHEARSALS,
    kept=st.sets(st.sampled_from(REHEARSAL_TABLES)),
    attempts_added=st.booleans(),
)
def test_a_plan_made_from_an_earlier_one_reads_its_rehearsals_as_a_fresh_one_does(
    before, after, kept, attempts_added
):
    people = [person("a"), person("b")]
    earlier = Plan.from_tables({"people": people, **before})
    for who in ("a", "b"):
        earlier.timed_readings(who)  # read, so that the later plan may take them over
    tables = {"people": people, **after}
    for table in kept:  # as the file held them before, read again
        tables[table] = copy.deepcopy(before[table])
    if attempts_added:
        tables["attempts"] = copy.deepcopy(before["attempts"]) + after["attempts"]
    fresh, from_earlier = Plan.from_tables(tables), Plan.from_tables(tables, earlier)
    for table in REHEARSAL_TABLES:
        assert from_earlier.lists[table] == fresh.lists[table]
    for who in ("a", "b"):
        assert from_earlier.timed_readings(who) == fresh.timed_readings(who)
        assert from_earlier.attempts_of(who) == fresh.attempts_of(who)
    assert from_earlier.runs() == fresh.runs()
    assert from_earlier.tries_of("job") == fresh.tries_of("job")


def test_an_attempt_added_at_the_moment_of_a_run_through_takes_its_place_as_in_a_fresh_plan():
    moment = "2025-03-01T18:30:00+00:00"
    run = {**run_through(("a", 80.0), started_at=moment), "id": "r0"}
    first = {"id": "t0", "person_id": "a", "started_at": moment, "seconds": 60.0}
    added = {**first, "id": "t1", "seconds": 95.5}
    earlier = Plan.from_tables({"people": [person("a")], "attempts": [first], "runs": [run]})
    earlier.timed_readings("a")
    tables = {"people": [person("a")], "attempts": [dict(first), added], "runs": [dict(run)]}
    later = Plan.from_tables(tables, earlier)
    assert [reading.row_id for reading in later.timed_readings("a")] == ["t0", "t1", "r0"]
    assert later.timed_readings("a") == Plan.from_tables(tables).timed_readings("a")
