"""Who changed what: every change made through a session is in the plan file's history."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from tui.core import history
from tui.core.history import (
    HISTORY_LIMIT,
    HISTORY_TABLE,
    VALUE_LIMIT,
    Change,
    add_to_history,
    described,
    earlier_values,
    history_of,
    new_change,
    newest_first,
)
from tui.core.plan import Plan
from tui.core.rehearsal import Attempt
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TITLE = FieldKey("plan", "plan", "title")


class Clock:
    """A clock that moves on a minute each time it is read."""

    def __init__(self, start: datetime = NOON) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=3)
        return self.now


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "kindred.json"


def session_of(path: Path, who: str = "anna") -> PlanSession:
    return PlanSession(Store(path), who=who, clock=Clock())


def stored_history(path: Path) -> list[Change]:
    return history_of(Store(path, read_only=True).read())


def test_an_edit_is_saved_with_who_when_where_and_the_values_before_and_after(data):
    session = session_of(data)
    session.set_field(TITLE, "Spring plan")
    session.set_field(TITLE, "Summer plan")
    first, second = stored_history(data)
    assert (first.who, first.kind, first.table, first.record_id, first.field) == (
        "anna",
        "edit",
        "plan",
        "plan",
        "title",
    )
    assert (first.before, first.after) == ("", "Spring plan")
    assert (second.before, second.after) == ("Spring plan", "Summer plan")
    assert second.at.endswith("+00:00") and second.moment > first.moment
    assert session.history == [first, second]


def test_the_account_name_is_that_of_the_program_s_user_by_default(data):
    import os
    import pwd

    PlanSession(Store(data)).set_field(TITLE, "Spring plan")
    assert stored_history(data)[0].who == pwd.getpwuid(os.geteuid()).pw_name


def test_adding_deleting_moving_and_timing_are_each_one_entry(data):
    session = session_of(data)
    anna = session.add("people", {"name": "Anna"})
    ben = session.add("people", {"name": "Ben"})
    session.move_person(ben, -1)
    session.record_attempt(anna, Attempt(NOON, 75.0))
    session.delete("people", ben)
    entries = stored_history(data)
    plan = session.plan
    assert [described(entry, plan) for entry in entries] == [
        "Added a person: Anna",
        "Added a person: Ben",
        "Speaking order: Ben from place 2 to 1",
        "Timed Anna's statement: 1:15",
        "Deleted the person “Ben”",
    ]


def test_deleting_a_timed_statement_is_noted_with_its_time(data):
    session = session_of(data)
    anna = session.add("people", {"name": "Anna"})
    session.record_attempt(anna, Attempt(NOON, 75.0))
    (attempt,) = session.plan.lists["attempts"]
    session.delete("attempts", attempt["id"])
    assert described(stored_history(data)[-1], session.plan) == "Deleted a timed statement: 1:15"


def test_a_change_that_leaves_the_value_as_it_was_is_not_noted(data):
    session = session_of(data)
    session.set_field(TITLE, "Spring plan")
    PlanSession(Store(data), who="ben").set_field(TITLE, "Spring plan")
    assert len(stored_history(data)) == 1


def test_quick_edits_of_one_field_by_one_person_are_one_entry(data):
    session = PlanSession(Store(data), who="anna", clock=lambda: NOON)
    for title in ("S", "Sp", "Spring"):
        session.set_field(TITLE, title)
    (entry,) = stored_history(data)
    assert (entry.before, entry.after) == ("", "Spring")
    PlanSession(Store(data), who="ben", clock=lambda: NOON).set_field(TITLE, "Ben's")
    assert [entry.who for entry in stored_history(data)] == ["anna", "ben"]


def test_long_text_is_kept_cut_and_cannot_be_put_back(data):
    session = session_of(data)
    person = session.add("people", {"name": "Anna"})
    statement = FieldKey("people", person, "statement")
    session.set_field(statement, "x" * (VALUE_LIMIT + 50))
    session.set_field(statement, "short")
    entry = stored_history(data)[-1]
    assert entry.before == "x" * VALUE_LIMIT and entry.before_cut
    assert earlier_values(stored_history(data), "people", person, "statement") == ["short", ""]


def test_a_restore_is_itself_a_change_and_says_so(data):
    session = session_of(data)
    session.set_field(TITLE, "Spring plan")
    session.set_field(TITLE, "Summer plan")
    assert earlier_values(session.history, "plan", "plan", "title") == [
        "Summer plan",
        "Spring plan",
        "",
    ]
    session.restore_field(TITLE, "Spring plan")
    assert session.plan.title == "Spring plan"
    newest = newest_first(session.history)[0]
    assert (newest.kind, newest.before, newest.after) == ("restore", "Summer plan", "Spring plan")
    assert described(newest, session.plan).endswith("(put back)")


def test_a_plan_without_a_history_opens_with_an_empty_one(data):
    data.write_text(json.dumps({"plan": {"1": {"id": "plan", "title": "Old"}}}))
    session = session_of(data)
    assert session.plan.title == "Old" and session.history == []


def test_a_damaged_history_entry_is_left_out_and_the_plan_still_opens(data):
    good = new_change("anna", NOON, "edit", table="plan", record_id="plan", field="title")
    data.write_text(
        json.dumps(
            {
                "meta": {"1": {"schema": 1}},
                "plan": {"1": {"id": "plan", "title": "Kept"}},
                HISTORY_TABLE: {
                    "1": {"at": "yesterday", "who": "anna", "kind": "edit"},
                    "2": {"id": "x", **good.to_dict(), "before": {"not": "a value"}},
                    "3": {"kind": "unknown", "at": NOON.isoformat()},
                    "4": {"id": "y", **good.to_dict()},
                },
            }
        )
    )
    session = session_of(data)
    assert session.plan.title == "Kept"
    assert session.history == [good]
    session.set_field(TITLE, "Changed")  # and it can be changed as ever
    assert stored_history(data)[-1].after == "Changed"


def test_a_save_with_a_full_history_keeps_the_newest_entries(data):
    old = [new_change("old", NOON, "add", table="people", name=str(n)) for n in range(1000)]
    data.write_text(
        json.dumps(
            {
                "meta": {"1": {"schema": 1}},
                HISTORY_TABLE: {
                    str(n): {"id": f"e{n}", **change.to_dict()}
                    for n, change in enumerate(old, start=1)
                },
            }
        )
    )
    session_of(data).set_field(TITLE, "Spring plan")
    entries = stored_history(data)
    assert len(entries) == HISTORY_LIMIT
    assert entries[0].name == "1" and entries[-1].after == "Spring plan"


edits = st.lists(
    st.tuples(
        st.sampled_from(["anna", "ben"]),
        st.sampled_from(["title", "country"]),
        st.text(max_size=3),
        st.integers(min_value=0, max_value=300),  # seconds since the edit before
    ),
    max_size=30,
)


@settings(max_examples=60)
@given(
    already=st.integers(min_value=HISTORY_LIMIT - 30, max_value=HISTORY_LIMIT) | st.just(0),
    edits=edits,
)
def test_any_edits_keep_the_bound_and_the_newest_entries_in_order(already, edits):
    """Checked against a plain model of the rule: an edit continuing the newest entry (same
    person and field, soon after) is merged into it, or takes it away if it undoes it."""
    database = TinyDB(storage=MemoryStorage)
    start = NOON - timedelta(days=1)
    old = [new_change("old", start, "add", name=str(n)) for n in range(already)]
    add_to_history(database, old)
    model = [{"who": "old", "field": "", "shown": str(n), "edit": False} for n in range(already)]
    when = NOON
    for who, field, value, gap in edits:
        when += timedelta(seconds=gap)
        before = next((m["shown"] for m in reversed(model) if m["field"] == field), "")
        add_to_history(
            database,
            [new_change(who, when, "edit", field=field, before=before, after=value)],
        )
        newest = model[-1] if model else None
        if (
            newest is not None
            and newest["edit"]
            and (newest["who"], newest["field"]) == (who, field)
            and when - newest["at"] <= timedelta(seconds=history.EDIT_MERGE_SECONDS)
        ):
            if newest["before"] == value:
                model.pop()
            else:
                newest.update(shown=value, at=when)
            continue
        model.append(
            {"who": who, "field": field, "shown": value, "edit": True, "before": before, "at": when}
        )
        model = model[-HISTORY_LIMIT:]  # the oldest are gone for good
    stored = history_of({HISTORY_TABLE: database.table(HISTORY_TABLE).all()})
    assert len(stored) <= HISTORY_LIMIT
    shown = [(e.who, e.field, e.name if e.kind == "add" else e.after) for e in stored]
    assert shown == [(m["who"], m["field"], m["shown"]) for m in model]
    assert [e.moment for e in stored] == sorted(e.moment for e in stored)


def test_described_names_the_part_the_record_and_the_values():
    plan = Plan.from_tables({"people": [{"id": "a", "name": "Anna"}]})
    change = new_change(
        "ben",
        NOON,
        "edit",
        table="people",
        record_id="a",
        field="enabled",
        name="Anna",
        before=False,
        after=True,
    )
    assert described(change, plan) == "People (Anna), Has enabled the loved one: no → yes"


# The history in the exports, and on import


def cli(*arguments: str) -> int:
    from tui.cli import main

    return main(list(arguments))


def test_the_json_export_holds_the_history_and_an_import_brings_it_back(data, tmp_path, capsys):
    session = session_of(data)
    session.set_field(TITLE, "Spring plan")
    session.set_field(TITLE, "Summer plan")
    assert cli("export", "--format", "json", "--data", str(data)) == 0
    document = json.loads(capsys.readouterr().out)
    assert [change["after"] for change in document["plan"]["changes"]] == [
        "Spring plan",
        "Summer plan",
    ]
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(document))
    elsewhere = tmp_path / "elsewhere" / "kindred.json"
    assert cli("import", str(exported), "--data", str(elsewhere)) == 0
    entries = stored_history(elsewhere)
    assert [(entry.kind, entry.after) for entry in entries] == [
        ("edit", "Spring plan"),
        ("edit", "Summer plan"),
        ("import", None),
    ]
    assert entries[0] == stored_history(data)[0]


def test_an_import_without_a_history_keeps_the_plan_s_own_and_notes_itself(data, tmp_path):
    session_of(data).set_field(TITLE, "Spring plan")
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps({"format": "kindred-plan", "version": 1, "plan": {"title": "B", "people": []}})
    )
    assert cli("import", "--replace", str(other), "--data", str(data)) == 0
    assert [entry.kind for entry in stored_history(data)] == ["edit", "import"]
    assert (
        described(stored_history(data)[-1], Plan()) == "Imported a plan, replacing the one before"
    )


def test_an_import_with_a_broken_change_is_refused_and_says_where(data, tmp_path, capsys):
    document = {
        "format": "kindred-plan",
        "version": 1,
        "plan": {
            "title": "B",
            "people": [],
            "changes": [{"at": "soon", "who": "x", "kind": "edit"}],
        },
    }
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    assert cli("import", str(broken), "--data", str(data)) != 0
    assert "plan.changes[0]" in capsys.readouterr().err
    assert not data.exists()


def test_the_markdown_export_ends_with_the_last_changes_newest_first_and_literal(data, capsys):
    session = PlanSession(Store(data), who="anna", clock=Clock())
    for number in range(12):
        session.set_field(TITLE, f"*Plan* {number}")
    assert cli("export", "--data", str(data)) == 0
    markdown = capsys.readouterr().out
    last = markdown.split("## Last changes\n\n")[1].splitlines()
    assert len(last) == 10
    assert last[0].endswith("anna: The plan, Name of this plan: “\\*Plan\\* 10” → “\\*Plan\\* 11”")
    assert last[-1].endswith("“\\*Plan\\* 1” → “\\*Plan\\* 2”")
    assert re.match(r"- \d{4}-\d\d-\d\d \d\d:\d\d, anna: ", last[0])
