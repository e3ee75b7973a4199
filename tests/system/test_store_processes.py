"""The plan file when other processes save it at the same time, are killed while saving, or
may not use it: each a real process."""

import json
import os
import random
import subprocess
import time
from pathlib import Path

import pytest
from children import start_python
from plan_files import counter_in, save_counter, temp_files

from tui.core.store import Store, StoreError

WORKER = Path(__file__).with_name("store_worker.py")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return tmp_path / "kindred.json"


def start_worker(*args, **popen_options) -> subprocess.Popen:
    return start_python(WORKER, *args, **popen_options)


def open_read_and_change(folder: Path) -> dict:
    """What happens when another user opens folder/kindred.json, reads it and adds a person."""
    if os.geteuid() == 0:
        # root may open anything, so ask as the user nobody, in a child process
        child = start_worker("as-nobody", folder)
        out, err = child.communicate()
        assert child.returncode == 0, err
        return json.loads(out)
    try:
        store = Store(folder / "kindred.json")
    except StoreError as error:
        return {"error": type(error).__name__, "message": error.message}
    found = {"read_only": store.read_only, "plan": store.read()}
    try:
        store.insert("people", {"id": "nobody"})
    except StoreError as error:
        return {"error": type(error).__name__, "message": error.message, **found}
    return {"error": None, **found}


@pytest.fixture
def plan_of_one(tmp_path) -> Path:
    """A plan holding one person, in a folder of its own, without its lock file (so that
    another user would have to make one)."""
    folder = tmp_path / "plan"
    folder.mkdir()
    path = folder / "kindred.json"
    Store(path).insert("people", {"id": "a"})
    path.with_name("kindred.json.lock").unlink()
    return path


def test_a_plan_kindred_may_not_read_is_reported_and_left_untouched(plan_of_one):
    before = plan_of_one.read_bytes()
    os.chmod(plan_of_one, 0o000)
    os.chmod(plan_of_one.parent, 0o777)
    try:
        result = open_read_and_change(plan_of_one.parent)
    finally:
        os.chmod(plan_of_one.parent, 0o700)
    assert result["error"] == "UnreadableFile"
    assert "kindred.json cannot be opened: Kindred is not allowed to read it" in result["message"]
    assert "Kindred has not changed it" in result["message"]
    assert plan_of_one.read_bytes() == before
    assert set(os.listdir(plan_of_one.parent)) <= {"kindred.json", "kindred.json.lock"}


def test_a_plan_in_a_folder_kindred_may_not_write_is_read_but_not_changed(plan_of_one):
    before = plan_of_one.read_bytes()
    os.chmod(plan_of_one, 0o644)
    os.chmod(plan_of_one.parent, 0o555)
    try:
        result = open_read_and_change(plan_of_one.parent)
    finally:
        os.chmod(plan_of_one.parent, 0o700)
    assert result["read_only"] is True
    assert result["plan"] == {"people": [{"id": "a"}]}
    assert result["error"] == "StoreError"
    assert result["message"].startswith(
        "You may read this plan but not change it, so Kindred cannot save changes to "
    )
    assert plan_of_one.read_bytes() == before
    assert os.listdir(plan_of_one.parent) == ["kindred.json"]  # not even a lock file


def test_killing_a_saving_process_at_any_moment_leaves_a_complete_plan(plan):
    ballast = [{"id": str(n), "text": "makes each save take a while"} for n in range(3000)]
    Store(plan).replace_all(lambda _: {"counter": [{"id": "c", "n": 0}], "ballast": ballast})
    chance = random.Random(1127)
    for _ in range(40):
        child = start_worker("writer", plan)
        first = child.stdout.readline().split()
        assert first[0] == "start", child.stderr.read()
        time.sleep(chance.uniform(0, 0.04))
        child.kill()
        out, _ = child.communicate()
        completed = [int(line) for line in out.split()]
        last_done = completed[-1] if completed else int(first[1])
        store = Store(plan)
        assert counter_in(plan) in (last_done, last_done + 1)
        assert len(store.read()["ballast"]) == len(ballast)
        for backup in store.backups():
            assert "counter" in json.loads(backup.read_bytes())
    Store(plan).upsert("checks", "after-kills", {"ok": True})
    assert temp_files(plan.parent) == []


def test_two_processes_changing_the_plan_at_once_lose_nothing(plan):
    Store(plan).insert("shared", {"id": "total", "count": 0})
    rounds = 150
    names = ["alice", "bob"]
    workers = [start_worker("hammer", plan, name, rounds, stdin=subprocess.PIPE) for name in names]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, err = worker.communicate()
        assert (worker.returncode, out.strip()) == (0, "done"), err
    tables = Store(plan).read()
    counts = {doc["id"]: doc["count"] for doc in tables["workers"]}
    assert counts == {"alice": rounds, "bob": rounds}
    assert tables["shared"] == [{"id": "total", "count": 2 * rounds}]
    expected_log = {f"{name}-{n}" for name in names for n in range(rounds)}
    assert sorted(doc["id"] for doc in tables["log"]) == sorted(expected_log)


def test_plans_whose_names_start_alike_are_saved_at_once_without_failing(plan):
    """Saving kindred.json must not take away the temporary file of a save of
    kindred.json.old in the same folder, between its writing and its renaming."""
    paths = [plan, plan.with_name("kindred.json.old")]
    saves = 300
    workers = [start_worker("saver", path, saves, stdin=subprocess.PIPE) for path in paths]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, err = worker.communicate()
        assert worker.returncode == 0, err
        assert json.loads(out) == {"error": None}
    assert [counter_in(path) for path in paths] == [saves, saves]
    assert temp_files(plan.parent) == []


def test_a_save_too_big_for_the_file_size_limit_fails_cleanly(plan):
    save_counter(plan, 2)
    on_disk = {path: path.read_bytes() for path in [plan, *Store(plan).backups()]}
    child = start_worker("size-limit", plan, 20_000)
    out, err = child.communicate()
    assert child.returncode == 0, err
    result = json.loads(out)
    assert result["error"] == "SaveFailed"
    assert result["message"].startswith("Could not save: the plan is larger than this system")
    assert f"safe in {plan}" in result["message"]
    assert {path: path.read_bytes() for path in on_disk} == on_disk
    assert temp_files(plan.parent) == []

    big = [{"id": str(n), "text": "x" * 100} for n in range(400)]
    Store(plan).replace_all(lambda _: {"big": big})
    assert Store(plan).read() == {"big": big}
