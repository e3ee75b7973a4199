"""The plan file must never be lost, corrupted or shown to anyone else."""

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from examples import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_files import counter_in, save_counter, temp_files
from tinydb import Query, TinyDB

import tui.core.store as store_module
from tui.core import atomic_file, file_lock
from tui.core.plan import CheckedTables, ValidationError, check_stored
from tui.core.plan_file import BEFORE_IMPORT, SCHEMA_VERSION, kept_plans
from tui.core.store import (
    SaveFailed,
    Store,
    StoreError,
    UnreadableFile,
    default_data_path,
    lock_holders,
)

MOMENT = "2025-03-01T18:30:00+00:00"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return tmp_path / "kindred.json"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


def strict(value) -> str:
    """Compares like a user would notice: types, order and every character."""
    return json.dumps(value)


def newest_backup(path: Path) -> Path:
    return Store(path, read_only=True).backups()[0]


class FakeClock:
    """Local time as the store reads it, moved on by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **duration: float) -> None:
        self.now += timedelta(**duration)


def no_hard_links(*args, **kwargs):
    raise OSError(errno.EPERM, "Operation not permitted")


# --- the module itself ---------------------------------------------------------------


def test_default_data_path_follows_kindred_data(monkeypatch, tmp_path):
    monkeypatch.setenv("KINDRED_DATA", str(tmp_path / "elsewhere.json"))
    assert default_data_path() == tmp_path / "elsewhere.json"


def test_default_data_path_without_kindred_data_is_in_the_user_data_folder(monkeypatch):
    monkeypatch.setenv("KINDRED_DATA", "")
    path = default_data_path()
    assert path.is_absolute()
    assert (path.parent.name, path.name) == ("kindred", "kindred.json")


# --- what is written comes back ------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
field_names = st.text(max_size=8).filter(lambda key: key != "id")
fields = st.dictionaries(field_names, json_values, max_size=4)
table_names = st.text(max_size=10).filter(lambda name: name != "meta")
# Each example makes its own folder under tmp_path, so sharing the fixture is fine.
many_temp_folders = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def plans(draw) -> dict[str, list[dict]]:
    names = draw(st.lists(table_names, unique=True, max_size=4))
    tables = {}
    for name in names:
        ids = draw(st.lists(st.text(max_size=10), unique=True, max_size=5))
        tables[name] = [{"id": doc_id, **draw(fields)} for doc_id in ids]
    return tables


@settings(many_temp_folders, max_examples=examples(60))
@given(tables=plans())
def test_any_plan_survives_saving_and_reopening(tmp_path, tables):
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    numbered = {
        name: {str(n): doc for n, doc in enumerate(docs, 1)} for name, docs in tables.items()
    }
    try:
        check_stored(numbered)
    except ValidationError:
        with pytest.raises(ValueError):  # a plan that could not be read back is not saved
            Store(path).replace_all(lambda _: tables)
        assert not path.exists()
        return
    Store(path).replace_all(lambda _: tables)
    assert strict(Store(path).read()) == strict(tables)
    assert strict(Store(path, read_only=True).read()) == strict(tables)


operations = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "upsert", "delete", "reopen"]),
        st.sampled_from(["people", "notes"]),
        st.sampled_from(["a", "b", "c"]),
        fields,
    ),
    max_size=12,
)


def readable_back(table: str, doc: dict) -> bool:
    """Whether the plan file could be read back holding this document."""
    try:
        check_stored({table: {"1": doc}})
    except ValidationError:
        return False
    return True


@settings(many_temp_folders, max_examples=examples(40))
@given(steps=operations)
def test_every_change_is_kept_exactly_as_a_simple_model_predicts(tmp_path, steps):
    # A change the plan could not be read back with is refused, and changes nothing.
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    store = Store(path)
    model: dict[str, dict[str, dict]] = {}
    for action, table, doc_id, changes in steps:
        docs = model.get(table)
        exists = docs is not None and doc_id in docs
        if action == "reopen":
            store = Store(path)
        elif action == "insert":
            doc = {"id": doc_id, **changes}
            if exists or not readable_back(table, doc):
                with pytest.raises(ValueError):
                    store.insert(table, doc)
            else:
                store.insert(table, doc)
                model.setdefault(table, {})[doc_id] = doc
        elif action == "update":
            if exists and not readable_back(table, {**docs[doc_id], **changes}):
                with pytest.raises(ValueError):
                    store.update(table, doc_id, changes)
            else:
                assert store.update(table, doc_id, changes) is exists
                if exists:
                    docs[doc_id].update(changes)
        elif action == "upsert":
            doc = {**(docs[doc_id] if exists else {"id": doc_id}), **changes}
            if not readable_back(table, doc):
                with pytest.raises(ValueError):
                    store.upsert(table, doc_id, changes)
            else:
                store.upsert(table, doc_id, changes)
                model.setdefault(table, {})[doc_id] = doc
        elif action == "delete":
            assert store.delete(table, doc_id) is exists
            if exists:
                del docs[doc_id]
        expected = {name: list(docs.values()) for name, docs in model.items()}
        assert strict(store.read()) == strict(expected)


def test_a_value_the_plan_could_not_be_read_back_with_is_refused(plan):
    store = Store(plan)
    store.insert("people", {"id": "a", "name": "Ann", "order": 1})
    with pytest.raises(ValueError, match="could not read back"):
        store.update("people", "a", {"order": None})
    with pytest.raises(ValueError, match="could not read back"):
        store.insert("people", {"id": "b", "order": "first"})
    assert Store(plan).read()["people"] == [{"id": "a", "name": "Ann", "order": 1}]


def test_a_change_made_in_a_transaction_that_could_not_be_read_back_saves_nothing(plan):
    store = Store(plan)
    store.insert("attempts", {"id": "a", "person_id": "p", "started_at": MOMENT, "seconds": 5})
    with pytest.raises(ValueError, match="could not read back"), store.transaction() as database:
        database.table("attempts").update({"seconds": "five"})
    with pytest.raises(ValueError, match="could not read back"), store.transaction() as database:
        database.table("attempts").insert({"id": "b", "started_at": "last Tuesday"})
    assert [row["seconds"] for row in Store(plan).read()["attempts"]] == [5]


def test_what_is_read_is_known_to_be_checked_unless_opened_only_to_look_at(plan):
    Store(plan).insert("people", {"id": "a"})
    assert isinstance(Store(plan).read(), CheckedTables)
    assert not isinstance(Store(plan, read_only=True).read(), CheckedTables)


def test_read_gives_copies_that_cannot_change_the_plan(plan):
    store = Store(plan)
    store.insert("people", {"id": "a", "names": ["Ann"]})
    store.read()["people"][0]["names"].append("changed")
    assert store.read() == {"people": [{"id": "a", "names": ["Ann"]}]}


def test_the_store_keeps_its_own_copy_of_what_it_is_given(plan):
    store = Store(plan)
    doc, changes = {"id": "a", "names": ["Ann"]}, {"pets": ["cat"], "pair": (1, 2)}
    store.insert("people", doc)
    store.upsert("people", "a", changes)
    doc["names"].append("changed")
    changes["pets"].append("changed")
    expected = {"people": [{"id": "a", "names": ["Ann"], "pets": ["cat"], "pair": [1, 2]}]}
    assert store.read() == expected
    assert Store(plan).read() == expected


def test_a_plan_saved_by_another_store_since_is_read_afresh_and_changed_on_top(plan):
    mine, theirs = Store(plan), Store(plan)
    mine.insert("people", {"id": "a"})
    theirs.insert("people", {"id": "b"})
    assert mine.read() == {"people": [{"id": "a"}, {"id": "b"}]}
    theirs.insert("people", {"id": "c"})
    mine.insert("people", {"id": "d"})
    assert Store(plan).read() == {"people": [{"id": k} for k in "abcd"]}


def test_the_file_is_decoded_on_opening_and_again_only_after_another_program_saved(
    plan, decoded_files
):
    Store(plan).replace_all(lambda _: {"people": [{"id": "a"}]})
    decoded = decoded_files
    decoded.clear()
    store = Store(plan)
    assert len(decoded) == 1
    store.read()["people"][0]["id"] = "changed"  # the caller's own copy
    store.insert("people", {"id": "b"})
    with store.transaction() as database:
        database.table("people").insert({"id": "c"})
    assert store.read() == {"people": [{"id": k} for k in "abc"]}
    assert len(decoded) == 1
    Store(plan).insert("people", {"id": "d"})
    decoded.clear()
    assert store.read() == {"people": [{"id": k} for k in "abcd"]}
    assert len(decoded) == 1


def test_a_change_that_saved_nothing_leaves_nothing_in_what_the_store_keeps(plan, decoded_files):
    store = Store(plan)
    store.insert("people", {"id": "a", "name": "Ann"})
    with pytest.raises(RuntimeError), store.transaction() as database:
        database.table("people").update({"name": "Changed"})  # TinyDB changes it where it lies
        database.table("people").insert({"id": "b"})
        raise RuntimeError
    with pytest.raises(ValueError, match="could not read back"):
        store.update("people", "a", {"order": None})
    decoded_files.clear()
    assert store.read() == {"people": [{"id": "a", "name": "Ann"}]}
    assert decoded_files == []  # what it kept, not the file
    store.insert("people", {"id": "c"})
    assert Store(plan).read() == {"people": [{"id": "a", "name": "Ann"}, {"id": "c"}]}


def test_same_plan_gives_same_bytes_and_text_comes_back_exactly(tmp_path):
    tables = {"people": [{"id": "a", "name": "Zoë 💙", "note": "line\nbreak\ttab\x00"}]}
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    Store(first).replace_all(lambda _: tables)
    Store(second).replace_all(lambda _: tables)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().isascii()  # characters beyond ASCII as \\u escapes
    assert Store(first).read() == tables
    assert TinyDB(first).table("people").all() == tables["people"]


def test_text_with_a_lone_surrogate_survives(plan):
    store = Store(plan)
    store.insert("notes", {"id": "a", "text": "broken \ud800 paste"})
    assert Store(plan).read() == {"notes": [{"id": "a", "text": "broken \ud800 paste"}]}


@pytest.mark.parametrize(
    "bad_call",
    [
        lambda store: store.insert("people", ["not", "a", "dict"]),
        lambda store: store.insert("people", {"name": "no id"}),
        lambda store: store.insert("people", {"id": 7}),
        lambda store: store.insert("people", {"id": "a", "again": True}),
        lambda store: store.insert("meta", {"id": "x"}),
        lambda store: store.update("people", "a", {"id": "b"}),
        lambda store: store.upsert("people", "a", {"id": "b"}),
        lambda store: store.replace_all(lambda _: {"people": [{"id": "x"}, {"id": "x"}]}),
        lambda store: store.replace_all(lambda _: {"meta": []}),
        lambda store: store.insert("people", {"id": "z", "when": object()}),
    ],
)
def test_malformed_documents_are_refused_and_nothing_is_written(plan, bad_call):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    before = plan.read_bytes()
    with pytest.raises((ValueError, TypeError)):
        bad_call(store)
    assert plan.read_bytes() == before
    assert store.backups() == []
    assert temp_files(plan.parent) == []


def test_update_upsert_delete_report_what_happened(plan):
    store = Store(plan)
    assert store.update("people", "a", {"x": 1}) is False
    assert store.delete("people", "a") is False
    assert not plan.exists()  # nothing changed, so nothing was saved
    store.upsert("people", "a", {"name": "Ann"})
    store.upsert("people", "a", {"age": 40})
    assert store.update("people", "a", {"name": "Anne"}) is True
    stamp = store.stamp()
    assert store.update("people", "nobody", {"name": "X"}) is False
    assert store.delete("people", "nobody") is False
    assert store.stamp() == stamp
    assert store.read() == {"people": [{"id": "a", "name": "Anne", "age": 40}]}
    assert store.delete("people", "a") is True
    assert store.read() == {"people": []}


# --- transactions ----------------------------------------------------------------------


def test_a_transaction_saves_all_its_changes_at_once(plan):
    store = Store(plan)
    store.insert("people", {"id": "a", "name": "Ann"})
    with store.transaction() as database:
        people = database.table("people")
        people.update({"name": "Anne"}, Query().id == "a")
        people.insert({"id": "b", "name": "Bo"})
        database.table("notes").insert({"id": "n", "text": "call Bo"})
    assert store.read() == {
        "people": [{"id": "a", "name": "Anne"}, {"id": "b", "name": "Bo"}],
        "notes": [{"id": "n", "text": "call Bo"}],
    }
    # One save, so one backup, holding the plan as it was before the transaction.
    assert len(store.backups()) == 1
    assert Store(store.backups()[0]).read() == {"people": [{"id": "a", "name": "Ann"}]}


def test_an_error_inside_a_transaction_writes_nothing(plan):
    store = Store(plan)
    store.insert("people", {"id": "a", "name": "Ann"})
    before, stamp = plan.read_bytes(), store.stamp()
    with pytest.raises(KeyError), store.transaction() as database:
        database.table("people").update({"name": "half done"}, Query().id == "a")
        raise KeyError("something went wrong")
    assert plan.read_bytes() == before
    assert store.stamp() == stamp
    assert store.backups() == []
    assert store.read() == {"people": [{"id": "a", "name": "Ann"}]}


def test_a_transaction_that_changes_nothing_does_not_save(plan):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    stamp = store.stamp()
    with store.transaction() as database:
        assert database.table("people").all() == [{"id": "a"}]
    assert store.stamp() == stamp
    assert store.backups() == []


def test_the_store_cannot_be_used_again_inside_its_own_transaction(plan):
    store = Store(plan)
    with pytest.raises(RuntimeError), store.transaction():
        store.insert("people", {"id": "a"})
    assert store.read() == {}


def test_meta_is_internal(plan):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    assert json.loads(plan.read_text())["meta"] == {"1": {"schema": SCHEMA_VERSION}}
    assert "meta" not in store.read()
    with store.transaction() as database:
        assert database.tables() == {"people"}


# --- permissions -------------------------------------------------------------------------


# 0o277 even takes away the owner's write bit.
@pytest.mark.parametrize("umask", [0o022, 0o000, 0o277])
def test_new_folders_and_files_are_private_whatever_the_umask(tmp_path, umask):
    path = tmp_path / "new" / "deeper" / "kindred.json"
    tmp_mode = mode_of(tmp_path)
    old_umask = os.umask(umask)
    try:
        store = Store(path)
        store.insert("people", {"id": "a"})
        store.insert("people", {"id": "b"})
    finally:
        os.umask(old_umask)
    assert mode_of(tmp_path / "new") == 0o700
    assert mode_of(tmp_path / "new" / "deeper") == 0o700
    assert mode_of(path) == 0o600
    assert mode_of(path.with_name("kindred.json.lock")) == 0o600
    assert [mode_of(backup) for backup in store.backups()] == [0o600]
    assert mode_of(tmp_path) == tmp_mode


def test_a_group_shared_folder_gives_group_files_and_stays_as_it_is(tmp_path):
    folder = tmp_path / "family"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    path = folder / "kindred.json"
    store = Store(path)
    store.insert("people", {"id": "a"})
    store.insert("people", {"id": "b"})
    assert mode_of(path) == 0o660
    assert mode_of(path.with_name("kindred.json.lock")) == 0o660
    assert [mode_of(backup) for backup in store.backups()] == [0o660]
    assert mode_of(folder) == 0o2770


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize(
    ("existing", "kept"),
    [(0o600, 0o600), (0o640, 0o640), (0o644, 0o640), (0o666, 0o660)],
)
def test_an_existing_file_keeps_its_mode_but_is_never_widened(tmp_path, shared, existing, kept):
    folder = tmp_path / "plan"
    folder.mkdir(mode=0o2770 if shared else 0o700)
    os.chmod(folder, 0o2770 if shared else 0o700)
    path = folder / "kindred.json"
    Store(path).insert("people", {"id": "a"})
    os.chmod(path, existing)
    for n in range(2):
        Store(path).upsert("people", "a", {"n": n})
    assert mode_of(path) == kept
    # Backups are private, or the group's in a shared folder; the older one is the very file
    # whose mode was set above.
    private = kept & (0o660 if shared else 0o600)
    assert [mode_of(backup) for backup in Store(path).backups()] == [private, private]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give the plan to another user")
def test_saving_as_root_leaves_the_plan_with_its_owner(plan):
    Store(plan).insert("people", {"id": "a"})
    os.chown(plan, 65534, 65534)
    Store(plan).insert("people", {"id": "b"})
    owner = os.stat(plan)
    assert (owner.st_uid, owner.st_gid) == (65534, 65534)


# --- symbolic links ------------------------------------------------------------------------


def test_a_symbolic_link_at_the_plan_path_is_refused(tmp_path, plan):
    victim = tmp_path / "victim.json"
    victim.write_text('{"people": {"1": {"id": "a"}}}')
    plan.symlink_to(victim)
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    assert str(plan) in caught.value.message
    assert "symbolic link" in caught.value.message
    assert "will not follow" in caught.value.message
    readonly = Store(plan, read_only=True)
    assert (readonly.read(), readonly.source) == ({}, plan)
    assert victim.read_text() == '{"people": {"1": {"id": "a"}}}'
    assert plan.is_symlink()


def test_a_symbolic_link_swapped_in_later_is_refused_too(tmp_path, plan):
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    store = Store(plan)
    store.insert("people", {"id": "a"})
    plan.unlink()
    plan.symlink_to(victim)
    with pytest.raises(UnreadableFile, match="symbolic link"):
        store.insert("people", {"id": "b"})
    assert victim.read_text() == "not yours"
    assert plan.is_symlink()


@pytest.mark.parametrize("target_exists", [True, False])
def test_a_symbolic_link_at_the_lock_path_is_refused(tmp_path, plan, target_exists):
    victim = tmp_path / "victim.txt"
    if target_exists:
        victim.write_text("not yours")
    plan.with_name("kindred.json.lock").symlink_to(victim)
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    assert "lock file" in caught.value.message
    assert "symbolic link" in caught.value.message
    if target_exists:
        assert victim.read_text() == "not yours"
    else:
        assert not victim.exists()
    assert not plan.exists()


# --- unreadable files ------------------------------------------------------------------------

UNREADABLE = [
    (b'{"people": {"1": {"id": "a"}}\n\n  oops', "is not valid JSON (line 3, column 3)"),
    (b'{"people": {"1": {"id": "a", "x": NaN}}}', "is not valid JSON"),
    (b"[1, 2, 3]", "does not have the layout of a Kindred plan"),
    (b'{"people": [{"id": "a"}]}', "does not have the layout of a Kindred plan"),
    (b'{"people": {"first": {"id": "a"}}}', "does not have the layout of a Kindred plan"),
    (b'{"people": {"1": "just text"}}', "does not have the layout of a Kindred plan"),
    (b'{"meta": {"1": {"schema": "one"}}}', "does not have the layout of a Kindred plan"),
    (
        b'{"meta": {"1": {"schema": 3}}, "people": {}}',
        "was written by a newer version of Kindred (format 3; this version reads up to 1)",
    ),
    (b"", "is empty"),
    (b"\xff\xfe\x00\x81 garbage", "is not readable text"),
]


@pytest.mark.parametrize(("content", "problem"), UNREADABLE)
def test_an_unreadable_plan_is_reported_and_left_untouched(plan, content, problem):
    plan.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    message = caught.value.message
    assert message.startswith(f"The plan file {plan} {problem}")
    assert "Kindred has not changed it" in message
    assert "There are no backups" in message
    assert "Errno" not in message and "Traceback" not in message
    assert (caught.value.path, caught.value.backups) == (plan, [])
    assert plan.read_bytes() == content
    assert temp_files(plan.parent) == []


def test_a_folder_at_the_plan_path_is_reported_and_left_untouched(plan):
    plan.mkdir()
    (plan / "inside.txt").write_text("keep me")
    with pytest.raises(UnreadableFile, match="is a folder, not a file"):
        Store(plan)
    assert os.listdir(plan) == ["inside.txt"]


def test_a_pipe_at_the_plan_path_is_refused_without_hanging(plan):
    os.mkfifo(plan)
    with pytest.raises(UnreadableFile, match="is not an ordinary file"):
        Store(plan)


def test_a_lock_that_cannot_be_made_later_makes_the_save_fail_plainly(plan, monkeypatch):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    plan.with_name("kindred.json.lock").unlink()

    def read_only_disk(path, mode):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(file_lock, "open_lock_file", read_only_disk)
    with pytest.raises(SaveFailed) as caught:
        store.insert("people", {"id": "b"})
    assert caught.value.message == (
        f"Could not save: the disk can only be read, not written to. "
        f"Your last saved plan is safe in {plan}."
    )
    assert Store(plan, read_only=True).read() == {"people": [{"id": "a"}]}


def test_without_hard_links_backups_are_copies_and_set_aside_still_works(plan, monkeypatch):
    save_counter(plan, 1)
    os.chmod(plan, 0o640)
    monkeypatch.setattr(os, "link", no_hard_links)
    Store(plan).upsert("counter", "c", {"n": 2})
    [backup] = Store(plan).backups()
    assert (counter_in(plan), counter_in(backup)) == (2, 1)
    assert mode_of(backup) == 0o600
    plan.write_text("{ damaged")
    moved = Store.set_aside(plan)
    assert moved.read_text() == "{ damaged"
    assert not plan.exists()
    assert [counter_in(backup) for backup in Store(moved, read_only=True).backups()] == [1]
    assert temp_files(plan.parent) == []


def test_unreadable_message_lists_the_backups_and_read_only_opens_the_newest_good_one(plan):
    save_counter(plan, 5)
    backups = Store(plan).backups()
    assert [counter_in(backup) for backup in backups] == [4, 3, 2]
    plan.write_text("{ this is not json")
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    assert caught.value.backups == backups
    assert caught.value.message.endswith(
        f"There are 3 backups beside it, the newest {backups[0]} ('kindred doctor' lists them all)."
    )

    readonly = Store(plan, read_only=True)
    assert readonly.source == backups[0]
    assert readonly.read()["counter"] == [{"id": "c", "n": 4}]

    backups[0].write_text("[]")
    readonly = Store(plan, read_only=True)
    assert readonly.source == backups[1]
    assert readonly.read()["counter"] == [{"id": "c", "n": 3}]

    for backup in backups:
        backup.write_bytes(b"")
    readonly = Store(plan, read_only=True)
    assert (readonly.source, readonly.read()) == (plan, {})


def test_read_only_reads_a_newer_format_as_it_is(plan):
    content = b'{"meta": {"1": {"schema": 2}}, "people": {"1": {"id": "a", "new": [1]}}}'
    plan.write_bytes(content)
    readonly = Store(plan, read_only=True)
    assert readonly.source == plan
    assert readonly.read() == {"people": [{"id": "a", "new": [1]}]}
    assert plan.read_bytes() == content


def test_read_only_never_creates_anything(tmp_path):
    missing = tmp_path / "missing" / "kindred.json"
    readonly = Store(missing, read_only=True)
    assert (readonly.read(), readonly.source) == ({}, missing)
    assert os.listdir(tmp_path) == []

    existing = tmp_path / "kindred.json"
    Store(existing).insert("people", {"id": "a"})
    existing.with_name("kindred.json.lock").unlink()
    listing = sorted(os.listdir(tmp_path))
    assert Store(existing, read_only=True).read() == {"people": [{"id": "a"}]}
    assert sorted(os.listdir(tmp_path)) == listing


@pytest.mark.parametrize(
    "write",
    [
        lambda store: store.insert("people", {"id": "b"}),
        lambda store: store.update("people", "a", {"x": 1}),
        lambda store: store.upsert("people", "a", {"x": 1}),
        lambda store: store.delete("people", "a"),
        lambda store: store.replace_all(lambda _: {}),
        lambda store: store.transaction().__enter__(),
    ],
)
def test_a_read_only_plan_refuses_every_change(plan, write):
    Store(plan).insert("people", {"id": "a"})
    before = plan.read_bytes()
    readonly = Store(plan, read_only=True)
    with pytest.raises(StoreError) as caught:
        write(readonly)
    assert caught.value.message.startswith("This plan is open read-only")
    assert str(plan) in caught.value.message
    assert plan.read_bytes() == before


@pytest.mark.parametrize("file_mode", [0o400, 0o440, 0o444])
def test_a_plan_file_made_read_only_opens_read_only_and_is_never_replaced(plan, file_mode):
    Store(plan).insert("people", {"id": "a"})
    os.chmod(plan, file_mode)
    before = (plan.read_bytes(), os.stat(plan).st_ino, sorted(os.listdir(plan.parent)))
    store = Store(plan)
    assert store.read_only
    assert store.read() == {"people": [{"id": "a"}]}
    with pytest.raises(StoreError) as caught:
        store.insert("people", {"id": "b"})
    assert caught.value.message == (
        f"The plan file {plan} is read-only (mode {file_mode:04o}), so Kindred does not change "
        f"it. To allow changes, run: chmod u+w {plan}"
    )
    assert (plan.read_bytes(), os.stat(plan).st_ino, sorted(os.listdir(plan.parent))) == before
    assert mode_of(plan) == file_mode


def test_a_plan_file_made_read_only_while_it_is_open_is_not_replaced(plan):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    os.chmod(plan, 0o400)
    before = (plan.read_bytes(), os.stat(plan).st_ino, sorted(os.listdir(plan.parent)))
    with pytest.raises(SaveFailed) as caught:
        store.insert("people", {"id": "b"})
    assert caught.value.message.startswith(f"The plan file {plan} is read-only (mode 0400)")
    assert (plan.read_bytes(), os.stat(plan).st_ino, sorted(os.listdir(plan.parent))) == before


# --- formats and migrations --------------------------------------------------------------------


def test_an_empty_tinydb_file_is_format_zero_and_gains_meta_on_the_next_save(plan):
    plan.write_bytes(b"{}")
    store = Store(plan)
    assert store.read() == {}
    with store.transaction():
        pass
    assert plan.read_bytes() == b"{}"  # migrated only in memory until something is saved
    store.insert("people", {"id": "a"})
    assert json.loads(plan.read_text()) == {
        "meta": {"1": {"schema": SCHEMA_VERSION}},
        "people": {"1": {"id": "a"}},
    }
    assert newest_backup(plan).read_bytes() == b"{}"


def test_a_plain_tinydb_file_is_read_and_migrated(plan):
    with TinyDB(plan) as database:
        database.table("people").insert({"id": "a", "name": "Ann"})
    original = plan.read_bytes()
    store = Store(plan)
    assert store.read() == {"people": [{"id": "a", "name": "Ann"}]}
    assert plan.read_bytes() == original
    store.upsert("people", "b", {"name": "Bo"})
    assert Store(plan).read() == {"people": [{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bo"}]}
    assert json.loads(plan.read_text())["meta"] == {"1": {"schema": SCHEMA_VERSION}}
    assert newest_backup(plan).read_bytes() == original


def tinydb_data(tables: dict[str, list[dict]]) -> dict:
    """A plan of format 1 in TinyDB's layout, numbered from 1."""
    data = {"meta": {"1": {"schema": 1}}}
    for name, docs in tables.items():
        data[name] = {str(number): doc for number, doc in enumerate(docs, start=1)}
    return data


def tinydb_bytes(tables: dict[str, list[dict]], indent: int | None) -> bytes:
    """A plan file as TinyDB or a person might write it: UTF-8, indented or not."""
    return json.dumps(tinydb_data(tables), indent=indent, ensure_ascii=False).encode()


def compact_bytes(tables: dict[str, list[dict]]) -> bytes:
    """A plan file as Kindred writes it."""
    return json.dumps(tinydb_data(tables), separators=(",", ":")).encode()


@settings(many_temp_folders, max_examples=examples(40))
@given(tables=plans(), indent=st.sampled_from([None, 2]))
def test_any_plan_file_opens_unchanged_and_is_saved_compact_on_the_next_change(
    tmp_path, tables, indent
):
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    original = tinydb_bytes(tables, indent)
    path.write_bytes(original)
    store = Store(path)
    assert strict(store.read()) == strict(tables)
    assert strict(Store(path, read_only=True).read()) == strict(tables)
    assert path.read_bytes() == original  # reading never rewrites it

    # Longer than any table name drawn, so it is a new table.
    store.upsert("rehearsal-notes", "x", {"n": 1})
    changed = {**tables, "rehearsal-notes": [{"id": "x", "n": 1}]}
    assert path.read_bytes() == compact_bytes(changed)
    assert newest_backup(path).read_bytes() == original
    assert strict(Store(path).read()) == strict(changed)


def test_documents_out_of_number_order_keep_their_order_and_new_ones_follow_the_highest(plan):
    plan.write_text(
        '{"meta": {"1": {"schema": 1}}, "people": {"7": {"id": "b"}, "1": {"id": "a"}}}'
    )
    store = Store(plan)
    assert store.read() == {"people": [{"id": "b"}, {"id": "a"}]}
    store.insert("people", {"id": "c"})
    assert json.loads(plan.read_text())["people"] == {
        "7": {"id": "b"},
        "1": {"id": "a"},
        "8": {"id": "c"},
    }


# --- backups ---------------------------------------------------------------------------------

A_MONDAY = datetime(2026, 11, 30, 9, 0)


def test_each_save_keeps_the_plan_before_it_and_the_last_three_stay(plan):
    clock = FakeClock(A_MONDAY)
    store = Store(plan, clock=clock)
    for n in range(1, 7):  # all in the same second
        store.upsert("counter", "c", {"n": n})
    backups = store.backups()
    assert [counter_in(backup) for backup in backups] == [5, 4, 3]
    assert [backup.name for backup in backups] == [
        "kindred.json.backup-2026-11-30T090000-5",
        "kindred.json.backup-2026-11-30T090000-4",
        "kindred.json.backup-2026-11-30T090000-3",
    ]
    assert sorted(os.listdir(plan.parent)) == sorted(
        ["kindred.json", "kindred.json.lock", *(backup.name for backup in backups)]
    )


def test_older_backups_are_thinned_to_one_an_hour_for_a_day_and_one_a_day_for_a_week(plan):
    every = timedelta(minutes=20)
    clock = FakeClock(A_MONDAY)
    store = Store(plan, clock=clock)
    saves = 9 * 24 * 3  # nine days of saves, one every twenty minutes
    for n in range(1, saves + 1):
        clock.now = A_MONDAY + (n - 1) * every
        store.upsert("counter", "c", {"n": n})
    last_save = clock.now
    # The backup holding n was made when n + 1 was saved.
    made = {counter_in(backup): A_MONDAY + counter_in(backup) * every for backup in store.backups()}
    assert sorted(made, reverse=True)[:3] == [saves - 1, saves - 2, saves - 3]
    for hours_ago in range(24):
        hour = (last_save - timedelta(hours=hours_ago)).replace(minute=0)
        assert any(hour <= moment < hour + timedelta(hours=1) for moment in made.values()), hour
    for days_ago in range(7):
        day = (last_save - timedelta(days=days_ago)).date()
        assert any(moment.date() == day for moment in made.values()), day
    assert all(last_save - moment < timedelta(days=7) for moment in made.values())
    assert len(made) <= 3 + 24 + 7


def test_backups_named_by_an_earlier_version_are_renamed_and_thinned_like_the_others(plan):
    save_counter(plan, 1)
    week_ago = time.time() - 7 * 24 * 60 * 60
    for n in (1, 2, 3):
        legacy = plan.with_name(f"kindred.json.bak{n}")
        legacy.write_text(json.dumps({"counter": {"1": {"id": "c", "n": -n}}}))
        os.utime(legacy, (week_ago - n * 60, week_ago - n * 60))
    store = Store(plan)
    assert [counter_in(backup) for backup in store.backups()] == [-1, -2, -3]
    store.upsert("counter", "c", {"n": 2})
    assert [counter_in(backup) for backup in store.backups()] == [1, -1, -2]
    assert not any(name.startswith("kindred.json.bak") for name in os.listdir(plan.parent))


def test_plans_kept_before_an_import_or_a_fresh_start_stay_until_removed(plan):
    clock = FakeClock(A_MONDAY)
    store = Store(plan, clock=clock)
    store.upsert("counter", "c", {"n": 1})
    before_import = store.replace_all(
        lambda _: {"counter": [{"id": "c", "n": 2}]}, keep_previous_as=BEFORE_IMPORT
    )
    assert before_import == plan.with_name("kindred.json.before-import-2026-11-30T090000")
    store.upsert("counter", "c", {"n": 3})
    plan.write_text("{ damaged")
    set_aside = Store.set_aside(plan, clock=clock)
    assert set_aside == plan.with_name("kindred.json.unreadable-2026-11-30T090000")
    its_backups = Store(set_aside, read_only=True).backups()
    store = Store(plan, clock=clock)
    for _ in range(60):  # two months of saves, one a day
        clock.advance(days=1)
        store.upsert("counter", "c", {"n": 4})
        store.upsert("counter", "c", {"n": 5})
    assert counter_in(before_import) == 1
    assert set_aside.read_text() == "{ damaged"
    assert [counter_in(backup) for backup in its_backups] == [2]
    assert kept_plans(plan) == sorted([before_import, set_aside, *its_backups])
    assert [mode_of(path) for path in kept_plans(plan)] == [0o600] * 3


# --- TinyDB opens the plan file, and opens here what TinyDB writes ------------------------------


def tinydb_reads(path: Path) -> TinyDB:
    return TinyDB(path, access_mode="r", encoding="utf-8")


@settings(many_temp_folders, max_examples=examples(40))
@given(tables=plans())
def test_any_plan_saved_here_opens_in_tinydb_with_every_table_and_document(tmp_path, tables):
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    Store(path).replace_all(lambda _: tables)
    with tinydb_reads(path) as database:
        assert database.tables() == {"meta", *tables}
        assert database.table("meta").all() == [{"schema": SCHEMA_VERSION}]
        for name, docs in tables.items():
            found = database.table(name).all()
            assert strict(found) == strict(docs)
            assert [doc.doc_id for doc in found] == list(range(1, len(docs) + 1))


def tinydb_makes(path: Path, action: str, table: str, doc_id: str, changes: dict) -> None:
    """Make the change with TinyDB itself, opening the file afresh as a new program would."""
    with TinyDB(path, encoding="utf-8") as database:
        if action in ("update", "delete") and table not in database.tables():
            return
        docs, this_one = database.table(table), Query().id == doc_id
        if action == "insert" and not docs.contains(this_one):
            docs.insert({"id": doc_id, **changes})
        elif action == "update":
            docs.update(changes, this_one)
        elif action == "upsert":
            docs.upsert({"id": doc_id, **changes}, this_one)
        elif action == "delete":
            docs.remove(this_one)


@settings(many_temp_folders, max_examples=examples(40))
@given(steps=operations)
def test_every_change_numbers_the_documents_as_tinydb_itself_does(tmp_path, steps):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path, by_tinydb = folder / "kindred.json", folder / "tinydb.json"
    store = Store(path)
    store.replace_all(lambda _: {})
    with TinyDB(by_tinydb, encoding="utf-8") as database:
        database.table("meta").insert({"schema": SCHEMA_VERSION})
    for action, table, doc_id, changes in steps:
        if action == "reopen":
            store = Store(path)
            continue
        if action == "insert":
            with contextlib.suppress(ValueError):  # the id is there already
                store.insert(table, {"id": doc_id, **changes})
        elif action == "delete":
            store.delete(table, doc_id)
        else:
            getattr(store, action)(table, doc_id, changes)
        tinydb_makes(by_tinydb, action, table, doc_id, changes)
        assert strict(json.loads(path.read_bytes())) == strict(json.loads(by_tinydb.read_bytes()))


def test_a_plan_file_written_by_tinydb_itself_opens_here_and_keeps_its_numbers(plan):
    attempt = {
        "id": "t1",
        "person_id": "ben",
        "started_at": "2025-03-01T18:30:00+00:00",
        "seconds": 95.5,
    }
    with TinyDB(plan, indent=4, encoding="utf-8") as database:
        database.table("meta").insert({"schema": SCHEMA_VERSION})
        people = database.table("people")
        people.insert_multiple([{"id": "anna", "name": "Anna"}, {"id": "ben", "name": "Ben"}])
        people.remove(Query().id == "anna")
        people.insert({"id": "cleo", "name": "Cleo"})
        database.table("attempts").insert(attempt)
    store = Store(plan)
    assert store.read() == {
        "people": [{"id": "ben", "name": "Ben"}, {"id": "cleo", "name": "Cleo"}],
        "attempts": [attempt],
    }
    store.insert("people", {"id": "dan", "name": "Dan"})
    store.update("people", "ben", {"name": "Benjamin"})
    with tinydb_reads(plan) as database:
        people = {doc.doc_id: doc["name"] for doc in database.table("people").all()}
        assert people == {2: "Benjamin", 3: "Cleo", 4: "Dan"}
        assert database.table("attempts").get(doc_id=1)["seconds"] == 95.5


# --- atomic saves, crashes and other processes ---------------------------------------------------


def test_leftovers_of_a_crashed_save_are_removed_by_the_next_save(plan):
    Store(plan).insert("people", {"id": "a"})
    leftover = plan.with_name(".kindred.json.0123456789abcdef.tmp")
    leftover.write_text('{"half": ')
    unrelated = [plan.with_name("notes.tmp"), plan.with_name(".other.json.0123.tmp")]
    for path in unrelated:
        path.write_text("not ours")
    store = Store(plan)
    store.read()
    assert leftover.exists()  # only removed under the exclusive lock
    store.insert("people", {"id": "b"})
    assert not leftover.exists()
    assert all(path.read_text() == "not ours" for path in unrelated)


def test_a_save_removes_only_leftovers_named_exactly_for_its_own_plan(plan):
    Store(plan).insert("people", {"id": "a"})
    leftover = plan.with_name(".kindred.json.0123456789abcdef.tmp")
    leftover.write_text('{"half": ')
    others = [
        plan.with_name(".kindred.json.old.0123456789abcdef.tmp"),  # saving kindred.json.old
        plan.with_name(".kindred.json.md.0123456789abcdef.tmp"),  # exporting kindred.json.md
        plan.with_name(".kindred.json.0123456789abcdef.tmp.tmp"),
    ]
    for path in others:
        path.write_text("being written")
    Store(plan).insert("people", {"id": "b"})
    assert not leftover.exists()
    assert all(path.read_text() == "being written" for path in others)


def test_stamp_changes_when_another_store_saves(plan):
    mine, theirs = Store(plan), Store(plan)
    mine.insert("people", {"id": "a"})
    stamp = mine.stamp()
    mine.read()
    assert mine.stamp() == stamp
    theirs.insert("people", {"id": "b"})
    assert mine.stamp() != stamp
    assert mine.read() == {"people": [{"id": "a"}, {"id": "b"}]}


def test_a_plan_held_by_another_program_gives_a_plain_message(plan, monkeypatch):
    store = Store(plan)
    store.insert("people", {"id": "a"})
    before = plan.read_bytes()
    monkeypatch.setattr(store_module, "_LOCK_WAIT_SECONDS", 0.05)
    other = os.open(plan.with_name("kindred.json.lock"), os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        assert lock_holders(plan) == [os.getpid()]
        with pytest.raises(StoreError) as caught:
            store.insert("people", {"id": "b"})
        assert f"Another program (process {os.getpid()}) is using the plan file {plan}" in (
            caught.value.message
        )
        assert plan.read_bytes() == before
    finally:
        os.close(other)
    assert lock_holders(plan) == []
    store.insert("people", {"id": "b"})
    assert len(store.read()["people"]) == 2


# --- failed saves ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EDQUOT, "your share of the disk is used up"),
        (errno.EROFS, "the disk can only be read"),
        (errno.EACCES, "Kindred is not allowed to write in the folder"),
        (errno.EIO, "the system reported a problem"),
    ],
)
def test_a_failed_save_changes_nothing_and_the_next_save_works(plan, monkeypatch, error, reason):
    save_counter(plan, 2)
    on_disk = {path: path.read_bytes() for path in [plan, *Store(plan).backups()]}

    def failing_write(fd, payload):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(atomic_file, "write_all", failing_write)
    store = Store(plan)
    with pytest.raises(SaveFailed) as caught:
        store.upsert("counter", "c", {"n": 3})
    message = caught.value.message
    assert message.startswith(f"Could not save: {reason}")
    assert f"Your last saved plan is safe in {plan}." in message
    [backup] = store.backups()
    assert message.endswith(f"There is a backup: {backup}.")
    assert {path: path.read_bytes() for path in on_disk} == on_disk
    assert temp_files(plan.parent) == []

    monkeypatch.undo()
    store.upsert("counter", "c", {"n": 3})
    assert counter_in(plan) == 3
    assert counter_in(newest_backup(plan)) == 2


def test_a_failed_first_save_says_nothing_was_written(plan, monkeypatch):
    def full_disk(fd, payload):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_file, "write_all", full_disk)
    with pytest.raises(SaveFailed, match="Could not save: the disk is full. Nothing was written"):
        Store(plan).insert("people", {"id": "a"})
    assert not plan.exists()
    assert temp_files(plan.parent) == []


# --- setting an unreadable plan aside ----------------------------------------------------------


def test_set_aside_moves_the_file_and_its_backups_without_overwriting(plan):
    save_counter(plan, 3)
    plan.write_text("{ damaged")
    backups = Store(plan, read_only=True).backups()
    old_backups = [backup.read_bytes() for backup in backups]

    moved = Store.set_aside(plan)
    assert re.fullmatch(r"kindred\.json\.unreadable-\d{4}-\d\d-\d\dT\d{6}", moved.name)
    assert moved.read_text() == "{ damaged"
    assert not plan.exists()
    moved_backups = Store(moved, read_only=True).backups()
    assert [backup.read_bytes() for backup in moved_backups] == old_backups

    fresh = Store(plan)
    assert fresh.read() == {} and fresh.backups() == []
    for n in range(5):
        fresh.upsert("people", "a", {"n": n})

    plan.write_text("{ damaged again")
    moved_again = Store.set_aside(plan)
    assert moved_again != moved
    assert moved.read_text() == "{ damaged"
    assert moved_again.read_text() == "{ damaged again"


@pytest.mark.parametrize("hard_links", [True, False])
def test_set_aside_never_overwrites_a_file_set_aside_before(plan, monkeypatch, hard_links):
    if not hard_links:
        monkeypatch.setattr(os, "link", no_hard_links)
    earlier = plan.with_name("kindred.json.unreadable-2026-11-27T021500")
    earlier.write_text("set aside earlier")
    earlier.with_name(earlier.name + "-2").write_text("and again")
    plan.write_text("{ damaged")
    moved = Store.set_aside(plan, clock=FakeClock(datetime(2026, 11, 27, 2, 15)))
    assert moved == plan.with_name("kindred.json.unreadable-2026-11-27T021500-3")
    assert moved.read_text() == "{ damaged"
    assert earlier.read_text() == "set aside earlier"
    assert earlier.with_name(earlier.name + "-2").read_text() == "and again"


def test_set_aside_moves_a_folder_in_the_way(plan):
    plan.mkdir()
    (plan / "inside.txt").write_text("keep me")
    moved = Store.set_aside(plan)
    assert (moved / "inside.txt").read_text() == "keep me"
    Store(plan).insert("people", {"id": "a"})
    assert Store(plan).read() == {"people": [{"id": "a"}]}
