"""Editing a plan through PlanSession on a real plan file: every edit that was saved stays saved."""

import contextlib
import fcntl
import os
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from examples import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tui.core.store as store_module
from tui.core import plan_file
from tui.core.plan import ValidationError, readiness
from tui.core.rehearsal import Attempt, Mark, ObjectionTry, RunRecord, Split
from tui.core.session import FieldKey, PlanSession, RecordGone
from tui.core.store import LockHeld, SaveFailed, Store, StoreError, UnreadableFile

MARCH = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)
TITLE = FieldKey("plan", "plan", "title")


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "plan" / "kindred.json"


def open_session(path: Path) -> PlanSession:
    return PlanSession(Store(path))


def on_disk(path: Path) -> dict[str, list[dict]]:
    """What a fresh program opening the file would see."""
    return Store(path, read_only=True).read()


def people_on_disk(path: Path) -> dict[str, dict]:
    return {person["id"]: person for person in on_disk(path).get("people", [])}


def names_in_speaking_order(session: PlanSession) -> list[str]:
    return [person["name"] for person in PlanSession(session.store).plan.people]


def key(person_id: str, field: str) -> FieldKey:
    return FieldKey("people", person_id, field)


def refuse_saves(session: PlanSession, monkeypatch) -> None:
    """From now on every save of this session fails as a full disk would."""

    def disk_full(*args, **kwargs):
        raise SaveFailed("Could not save: the disk is full.", session.store.path)

    monkeypatch.setattr(session.store, "_save", disk_full)


# --- one session --------------------------------------------------------------------------


def test_an_edit_is_on_disk_as_soon_as_set_field_returns(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    assert session.set_field(key(anna, "relationship"), " sister ") == "sister"
    assert session.set_field(TITLE, "Spring plan") == "Spring plan"
    assert session.set_field(key(anna, "target_seconds"), "1:30") == 90
    other = open_session(data)
    assert other.plan.title == "Spring plan"
    assert other.plan.record("people", anna)["relationship"] == "sister"
    assert other.plan.record("people", anna)["target_seconds"] == 90
    assert session.unsaved == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "x" * 201), ("target_seconds", "soon"), ("role", "boss"), ("attending", "no")],
)
def test_a_refused_value_never_reaches_the_disk(data, field, value):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    before = data.read_bytes()
    with pytest.raises(ValidationError):
        session.set_field(key(anna, field), value)
    assert data.read_bytes() == before
    assert session.unsaved == {}
    assert session.plan.record("people", anna) == open_session(data).plan.record("people", anna)


def test_adding_fills_in_defaults_and_refuses_bad_values(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    saved = people_on_disk(data)[anna]
    assert (saved["name"], saved["role"], saved["target_seconds"], saved["order"]) == (
        "Anna",
        "member",
        120,
        1,
    )
    before = data.read_bytes()
    with pytest.raises(ValidationError):
        session.add("people", {"name": "Ben", "shoe_size": 44})
    with pytest.raises(ValidationError):
        session.add("treatments", {"kind": "spa"})
    assert data.read_bytes() == before


def test_deleting_a_person_takes_their_rehearsals_with_them_and_nothing_else(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    ben = session.add("people", {"name": "Ben"})
    hope = session.add("treatments", {"name": "Hope House"})
    session.record_attempt(anna, Attempt(MARCH, 100.0))
    session.record_attempt(ben, Attempt(MARCH, 80.0))
    session.delete("people", anna)
    tables = on_disk(data)
    assert [p["name"] for p in tables["people"]] == ["Ben"]
    assert [a["person_id"] for a in tables["attempts"]] == [ben]
    assert [t["id"] for t in tables["treatments"]] == [hope]
    session.delete("treatments", hope)
    assert on_disk(data)["treatments"] == []
    assert [p["name"] for p in session.plan.people] == ["Ben"]


def test_tries_at_an_objection_are_saved_and_go_when_it_is_deleted(data):
    session = open_session(data)
    job = session.add("objections", {"objection": "I can't lose my job."})
    quit_ = session.add("objections", {"objection": "I'll quit on my own."})
    session.record_try(job, ObjectionTry(MARCH, 41.0, Mark.NEEDS_WORK))
    session.record_try(quit_, ObjectionTry(MARCH, 25.0, Mark.WENT_WELL))
    other = open_session(data)
    assert other.plan.last_try(job) == ObjectionTry(MARCH, 41.0, Mark.NEEDS_WORK)
    assert other.plan.record("objections", job)["target_seconds"] == 30
    session.delete("objections", job)
    tries = on_disk(data)["objection_tries"]
    assert [(row["objection_id"], row["mark"]) for row in tries] == [(quit_, "went well")]


def test_a_try_at_an_objection_deleted_elsewhere_is_refused_in_words(data):
    session = open_session(data)
    job = session.add("objections", {"objection": "I can't lose my job."})
    open_session(data).delete("objections", job)
    with pytest.raises(RecordGone, match="deleted in another session, so the try was not saved"):
        session.record_try(job, ObjectionTry(MARCH, 41.0, Mark.WENT_WELL))
    assert on_disk(data).get("objection_tries", []) == []


def test_an_attempt_saves_the_word_count_it_was_timed_at(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    session.record_attempt(anna, Attempt(MARCH, 100.0, words=210))
    assert on_disk(data)["attempts"][0]["words"] == 210


def test_moving_people_in_the_speaking_order(data):
    session = open_session(data)
    ids = {name: session.add("people", {"name": name}) for name in ("Anna", "Ben", "Cleo")}
    session.move_person(ids["Cleo"], -1)
    assert names_in_speaking_order(session) == ["Anna", "Cleo", "Ben"]
    session.move_person(ids["Anna"], -1)  # already first
    session.move_person(ids["Ben"], 1)  # already last
    assert names_in_speaking_order(session) == ["Anna", "Cleo", "Ben"]
    session.move_person(ids["Anna"], 1)
    assert names_in_speaking_order(session) == ["Cleo", "Anna", "Ben"]
    assert sorted(p["order"] for p in people_on_disk(data).values()) == [1, 2, 3]


def test_typing_a_place_in_the_speaking_order_moves_that_person_there(data):
    session = open_session(data)
    ids = {name: session.add("people", {"name": name}) for name in ("Anna", "Ben", "Cleo")}
    assert session.place_person(ids["Cleo"], "1") == 1
    assert names_in_speaking_order(session) == ["Cleo", "Anna", "Ben"]
    assert session.place_person(ids["Cleo"], " 7 ") == 3
    assert names_in_speaking_order(session) == ["Anna", "Ben", "Cleo"]
    assert sorted(p["order"] for p in people_on_disk(data).values()) == [1, 2, 3]
    with pytest.raises(ValidationError, match="whole number"):
        session.place_person(ids["Anna"], "first")
    assert names_in_speaking_order(session) == ["Anna", "Ben", "Cleo"]


def test_a_person_added_after_a_delete_speaks_last(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    session.add("people", {"name": "Ben"})
    session.add("people", {"name": "Cleo"})
    session.delete("people", anna)
    session.add("people", {"name": "Aaron"})
    assert names_in_speaking_order(session) == ["Ben", "Cleo", "Aaron"]


def test_rehearsals_are_saved_and_count_towards_readiness(data):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    session.record_attempt(anna, Attempt(MARCH, 95.5))
    run = RunRecord(MARCH, 100.0, (Split(anna, 95.5),))
    session.record_run(run)
    other = open_session(data)
    assert [Attempt.from_dict(a) for a in other.plan.attempts_of(anna)] == [Attempt(MARCH, 95.5)]
    assert [RunRecord.from_dict(r) for r in other.plan.lists["runs"]] == [run]
    rehearsed = {item.label: item.done for item in readiness(other.plan, date(2026, 12, 1))}
    assert rehearsed["Everyone's last rehearsal was within their target"]


# --- the locale's country ---------------------------------------------------------------------

COUNTRY = FieldKey("plan", "plan", "country")


def country_on_disk(path: Path) -> str | None:
    plans = on_disk(path).get("plan", [])
    return plans[0].get("country") if plans else None


def test_a_plan_without_a_country_shows_the_locales_without_writing(data):
    session = PlanSession(Store(data), default_country="GB")
    assert session.plan.country == "GB"
    assert not data.exists()
    Store(data).insert("people", {"id": "ann", "name": "Ann"})
    before = data.read_bytes()
    session = PlanSession(Store(data), default_country="GB")
    assert session.plan.country == "GB"
    assert session.reload_from_disk() == [] and session.plan.country == "GB"
    assert data.read_bytes() == before


@pytest.mark.parametrize("change", ["title", "person", "attempt", "run"])
def test_the_locales_country_is_saved_with_the_first_save(data, change):
    Store(data).insert("people", {"id": "ann", "name": "Ann"})
    session = PlanSession(Store(data), default_country="IE")
    if change == "title":
        session.set_field(TITLE, "Spring plan")
    elif change == "person":
        session.add("people", {"name": "Ben"})
    elif change == "attempt":
        session.record_attempt("ann", Attempt(MARCH, 80.0))
    else:
        session.record_run(RunRecord(MARCH, 80.0, (Split("ann", 80.0),)))
    assert country_on_disk(data) == "IE"


def test_a_plans_own_country_is_kept_whatever_the_locale(data):
    PlanSession(Store(data)).set_field(COUNTRY, "AU")
    session = PlanSession(Store(data), default_country="GB")
    assert session.plan.country == "AU"
    session.set_field(TITLE, "Ours")
    assert country_on_disk(data) == "AU"


def test_a_country_chosen_here_is_saved_over_the_locales(data):
    session = PlanSession(Store(data), default_country="GB")
    session.set_field(COUNTRY, "other")
    assert country_on_disk(data) == "other"
    assert PlanSession(Store(data), default_country="GB").plan.country == "other"


def test_a_country_kindred_cannot_use_is_named_and_the_file_left_as_it_is(data):
    # Written by hand: Kindred itself saves no value it could not read back.
    data.parent.mkdir(mode=0o700)
    data.write_bytes(plan_file.encode({"plan": {"1": {"id": "plan", "country": "Narnia"}}}))
    before = data.read_bytes()
    with pytest.raises(UnreadableFile, match='"country": Country must be one of'):
        PlanSession(Store(data), default_country="CA")
    assert data.read_bytes() == before


def test_without_a_locale_country_the_plan_has_none_until_chosen(data):
    session = PlanSession(Store(data))
    session.set_field(TITLE, "Ours")
    assert session.plan.country == "" and country_on_disk(data) is None
    session.set_field(COUNTRY, "US")
    assert country_on_disk(data) == "US"


# --- when the disk refuses ------------------------------------------------------------------


def test_an_edit_the_disk_refused_is_kept_and_saved_with_the_next_save(data, monkeypatch):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    session.set_field(key(anna, "relationship"), "sister")
    saved_before = data.read_bytes()
    with monkeypatch.context() as disk:
        refuse_saves(session, disk)
        with pytest.raises(SaveFailed):
            session.set_field(key(anna, "statement"), "I love you.")
        assert data.read_bytes() == saved_before
        assert session.unsaved == {key(anna, "statement"): "I love you."}
        assert session.plan.record("people", anna)["statement"] == "I love you."
    session.set_field(TITLE, "Spring plan")
    saved = people_on_disk(data)[anna]
    assert (saved["name"], saved["relationship"], saved["statement"]) == (
        "Anna",
        "sister",
        "I love you.",
    )
    assert on_disk(data)["plan"][0]["title"] == "Spring plan"
    assert session.unsaved == {}


def test_save_unsaved_retries_what_the_disk_refused(data, monkeypatch):
    session = open_session(data)
    with monkeypatch.context() as disk:
        refuse_saves(session, disk)
        with pytest.raises(SaveFailed):
            session.set_field(TITLE, "Spring plan")
        with pytest.raises(SaveFailed):
            session.save_unsaved()
        assert not data.exists()
    session.save_unsaved()
    assert on_disk(data)["plan"][0]["title"] == "Spring plan"
    assert session.unsaved == {}


def test_an_edit_the_disk_refused_is_not_dropped_by_adding_a_record(data, monkeypatch):
    session = open_session(data)
    with monkeypatch.context() as disk:
        refuse_saves(session, disk)
        with pytest.raises(SaveFailed):
            session.set_field(TITLE, "Spring plan")
    session.add("treatments", {"name": "Hope House"})
    assert session.plan.title == "Spring plan"
    assert on_disk(data)["plan"][0]["title"] == "Spring plan"


def test_an_edit_held_up_by_another_program_is_kept_for_the_next_save(data, monkeypatch):
    session = open_session(data)
    session.set_field(TITLE, "Spring plan")
    monkeypatch.setattr(store_module, "_LOCK_WAIT_SECONDS", 0.05)
    lock = os.open(data.with_name(data.name + ".lock"), os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another open file: held as another program would
        with pytest.raises(StoreError, match="Another program"):
            session.set_field(TITLE, "Autumn plan")
    finally:
        os.close(lock)
    assert on_disk(data)["plan"][0]["title"] == "Spring plan"
    assert session.unsaved == {TITLE: "Autumn plan"}
    session.save_unsaved()
    assert on_disk(data)["plan"][0]["title"] == "Autumn plan"


def test_a_session_saves_and_shows_the_plan_without_decoding_the_file_again(data, decoded_files):
    session = open_session(data)
    anna = session.add("people", {"name": "Anna"})
    decoded = decoded_files
    decoded.clear()
    session.record_attempt(anna, Attempt(MARCH, 95.5))
    assert decoded == []  # the tables as last saved are taken to change and to show the plan
    assert [row["seconds"] for row in session.plan.attempts_of(anna)] == [95.5]
    assert [row["seconds"] for row in on_disk(data)["attempts"]] == [95.5]


def test_a_plan_file_made_read_only_opens_a_read_only_session(data):
    anna = open_session(data).add("people", {"name": "Anna"})
    os.chmod(data, 0o400)
    session = open_session(data)
    assert session.read_only
    assert session.plan.record("people", anna)["name"] == "Anna"
    with pytest.raises(StoreError):
        session.set_field(key(anna, "name"), "Ann")
    assert people_on_disk(data)[anna]["name"] == "Anna"


# --- two sessions on one file ------------------------------------------------------------------


def test_edits_to_different_fields_in_two_sessions_both_survive(data):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    first.set_field(key(anna, "relationship"), "sister")
    second.set_field(key(anna, "statement"), "I love you.")
    first.set_field(TITLE, "Spring plan")
    second.set_field(FieldKey("meeting", "meeting", "place"), "Aunt May's house")
    saved = people_on_disk(data)[anna]
    assert (saved["relationship"], saved["statement"]) == ("sister", "I love you.")
    tables = on_disk(data)
    assert tables["plan"][0]["title"] == "Spring plan"
    assert tables["meeting"][0]["place"] == "Aunt May's house"


def test_the_later_save_of_one_field_wins_and_the_other_session_is_told(data):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    first.set_field(key(anna, "relationship"), "sister")
    assert not first.changed_on_disk()
    second.set_field(key(anna, "relationship"), "aunt")
    assert people_on_disk(data)[anna]["relationship"] == "aunt"
    assert first.changed_on_disk()
    assert first.reload_from_disk() == [key(anna, "relationship")]
    assert first.plan.record("people", anna)["relationship"] == "aunt"
    assert not first.changed_on_disk()
    assert second.reload_from_disk() == []


def test_a_save_in_another_session_that_touches_nothing_edited_here_is_not_reported(data):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    first.set_field(key(anna, "relationship"), "sister")
    second.set_field(key(anna, "statement"), "I love you.")
    second.add("people", {"name": "Ben"})
    assert first.reload_from_disk() == []
    assert [p["name"] for p in first.plan.people] == ["Anna", "Ben"]
    assert first.plan.record("people", anna)["statement"] == "I love you."


def test_an_overwrite_is_reported_even_after_saving_another_field_here(data):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    first.set_field(key(anna, "relationship"), "sister")
    second.set_field(key(anna, "relationship"), "aunt")
    first.set_field(key(anna, "statement"), "I love you.")
    assert first.reload_from_disk() == [key(anna, "relationship")]


def test_an_unsaved_edit_here_survives_taking_in_another_sessions_save(data, monkeypatch):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    with monkeypatch.context() as disk:
        refuse_saves(first, disk)
        with pytest.raises(SaveFailed):
            first.set_field(key(anna, "statement"), "I love you.")
    second.set_field(key(anna, "relationship"), "sister")
    second.set_field(key(anna, "statement"), "Their words")
    assert first.reload_from_disk() == []
    mine = first.plan.record("people", anna)
    assert (mine["statement"], mine["relationship"]) == ("I love you.", "sister")
    first.save_unsaved()
    saved = people_on_disk(data)[anna]
    assert (saved["statement"], saved["relationship"]) == ("I love you.", "sister")


def test_an_edit_to_a_person_deleted_elsewhere_is_not_reported_as_saved(data):
    first = open_session(data)
    ben = first.add("people", {"name": "Ben"})
    open_session(data).delete("people", ben)
    try:
        first.set_field(key(ben, "statement"), "I love you.")
    except (ValidationError, StoreError):
        return  # the person typing is told: nothing was silently lost
    statements = [p["statement"] for p in people_on_disk(data).values()]
    assert "I love you." in statements


def test_a_person_added_in_a_session_that_has_not_seen_the_latest_save_speaks_last(data):
    first = open_session(data)
    second = open_session(data)
    first.add("people", {"name": "Ben"})
    second.add("people", {"name": "Aaron"})
    assert names_in_speaking_order(first) == ["Ben", "Aaron"]


# --- any mix of edits in two sessions --------------------------------------------------------

TEXT_FIELDS = ("name", "relationship", "statement")
texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Z")), min_size=1, max_size=8)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1), texts),
        st.tuples(
            st.just("set"),
            st.integers(0, 1),
            st.integers(0, 3),
            st.sampled_from(TEXT_FIELDS),
            texts,
        ),
        st.tuples(st.just("delete"), st.integers(0, 1), st.integers(0, 3)),
        st.tuples(st.just("move"), st.integers(0, 1), st.integers(0, 3), st.sampled_from([-1, 1])),
        st.tuples(st.just("reload"), st.integers(0, 1)),
    ),
    min_size=4,
    max_size=20,
)


# Each example makes its own folder under tmp_path, so sharing the fixture is fine.
many_temp_folders = settings(
    deadline=None,
    max_examples=examples(60),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@many_temp_folders
@given(steps=steps)
def test_two_sessions_taking_turns_never_lose_a_completed_save(tmp_path, steps):
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    sessions = [open_session(path), open_session(path)]
    model: dict[str, dict] = {}  # person id -> the fields saved so far
    deleted: list[str] = []
    for step in steps:
        action, session = step[0], sessions[step[1]]
        known = list(model) + deleted
        if action == "add":
            person_id = session.add("people", {"name": step[2]})
            model[person_id] = {"name": session.plan.record("people", person_id)["name"]}
        elif action == "reload":
            session.reload_from_disk()
        elif not known:
            continue
        elif action == "set":
            person_id, field = known[step[2] % len(known)], step[3]
            if person_id in model:
                model[person_id][field] = session.set_field(key(person_id, field), step[4])
            else:  # deleted: it must not come back, whether or not the session says so
                with contextlib.suppress(ValidationError, StoreError):
                    session.set_field(key(person_id, field), step[4])
        elif action == "delete":
            person_id = known[step[2] % len(known)]
            session.delete("people", person_id)
            if model.pop(person_id, None) is not None:
                deleted.append(person_id)
        elif action == "move":
            session.move_person(known[step[2] % len(known)], step[3])
        saved = people_on_disk(path)
        assert sorted(saved) == sorted(model)
        for person_id, fields in model.items():
            assert {name: saved[person_id][name] for name in fields} == fields


# --- another save wins a field; a lock held elsewhere -----------------------------------------


def test_the_version_a_later_save_replaced_is_kept_to_be_put_back(data):
    first = open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second = open_session(data)
    statement = key(anna, "statement")
    first.set_field(statement, "I love you, Anna.")
    second.set_field(statement, "We are here for you.")
    assert first.reload_from_disk() == [statement]
    assert first.plan.record("people", anna)["statement"] == "We are here for you."
    assert first.your_versions == {statement: "I love you, Anna."}
    # Another change to the field from elsewhere neither tells again nor loses the version.
    second.set_field(statement, "We are all here for you.")
    assert first.reload_from_disk() == []
    assert first.your_versions == {statement: "I love you, Anna."}
    # Putting it back is an edit like any other: saved, and the other session is told.
    first.set_field(statement, first.your_versions[statement])
    assert first.your_versions == {}
    assert people_on_disk(data)[anna]["statement"] == "I love you, Anna."
    assert second.reload_from_disk() == [statement]
    assert second.your_versions == {statement: "We are all here for you."}


@contextlib.contextmanager
def lock_held_here(data: Path):
    """Hold the plan's lock through another open file, as another program would."""
    lock = os.open(data.with_name(data.name + ".lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


def test_changes_of_records_wait_for_a_held_lock_only_as_long_as_asked_and_change_nothing(data):
    session = PlanSession(Store(data), lock_wait_seconds=0.05)
    anna = session.add("people", {"name": "Anna"})
    ben = session.add("people", {"name": "Ben"})
    objection = session.add("objections", {"objection": "I can stop on my own."})
    before = on_disk(data)
    attempt = Attempt(datetime(2026, 5, 1, 18, 0, tzinfo=UTC), 95.0)
    answer = ObjectionTry(attempt.started_at, 20.0, Mark.WENT_WELL)
    changes = [
        lambda: session.add("people", {"name": "Cleo"}),
        lambda: session.delete("people", anna),
        lambda: session.move_person(ben, -1),
        lambda: session.place_person(ben, 1),
        lambda: session.record_attempt(anna, attempt),
        lambda: session.record_try(objection, answer),
        lambda: session.record_run(RunRecord(attempt.started_at, 95.0, (Split(anna, 95.0),))),
    ]
    started = time.monotonic()
    with lock_held_here(data):
        for change in changes:
            with pytest.raises(LockHeld):
                change()
    assert time.monotonic() - started < store_module._LOCK_WAIT_SECONDS  # not 10 s each
    assert on_disk(data) == before
    assert session.place_person(ben, 1) == 1
    session.record_attempt(anna, attempt)
    assert names_in_speaking_order(session) == ["Ben", "Anna"]
    assert len(on_disk(data)["attempts"]) == 1


def test_an_edit_of_a_record_deleted_in_another_session_is_kept_in_words(data):
    first, second = open_session(data), open_session(data)
    anna = first.add("people", {"name": "Anna"})
    second.reload_from_disk()
    second.delete("people", anna)
    with pytest.raises(RecordGone, match="This person was deleted in another session"):
        first.set_field(key(anna, "statement"), "I love you, Anna.")
    assert first.unsaved == {}
    assert first.unsaved_text() == (
        "People (Anna), Statement:\nI love you, Anna.\n(deleted in another session)\n"
    )
    assert "people" not in on_disk(data) or on_disk(data)["people"] == []


def test_edits_wait_for_a_held_lock_only_as_long_as_asked_and_are_kept(data):
    session = PlanSession(Store(data), lock_wait_seconds=0.05)
    session.set_field(TITLE, "Spring plan")
    lock = os.open(data.with_name(data.name + ".lock"), os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another open file: held as another program would
        with pytest.raises(LockHeld):
            session.set_field(TITLE, "Autumn plan")
        session.keep_field(FieldKey("meeting", "meeting", "place"), "Aunt May's house")
        with pytest.raises(LockHeld):
            session.reload_from_disk()
        assert not session.store.wait_until_free(0.05)
        assert session.plan.title == "Autumn plan"
    finally:
        os.close(lock)
    assert on_disk(data)["plan"][0]["title"] == "Spring plan"
    assert session.store.wait_until_free(0.05)
    session.save_unsaved()
    tables = on_disk(data)
    assert tables["plan"][0]["title"] == "Autumn plan"
    assert tables["meeting"][0]["place"] == "Aunt May's house"
