"""Real Kindred processes editing one plan file at once, and being killed mid-save."""

import os
import random
import subprocess
import time

from children import start_python

from tui.core.plan_file import RECENT_BACKUPS
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

# argv: PATH NAME PEOPLE EDITS. Adds PEOPLE people, then makes EDITS edits spread over
# their fields, each a distinct (person, field) slot holding "NAME-<edit number>".
EDITOR = """
import sys
from pathlib import Path
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

path, name, people, edits = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fields = ("relationship", "read_by", "enabling", "statement", "bottom_line")
session = PlanSession(Store(path))
print("ready", flush=True)
sys.stdin.readline()
mine = [session.add("people", {"name": f"{name}-{n}"}) for n in range(people)]
for edit in range(edits):
    person_id = mine[edit % people]
    field = fields[edit // people]
    session.set_field(FieldKey("people", person_id, field), f"{name}-{edit}")
print("done", flush=True)
"""

# argv: PATH PERSON_ID. Saves statement_for(1), statement_for(2), ... until killed,
# printing each number once its save has returned.
SAVER = """
import sys
from pathlib import Path
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

path, person_id = Path(sys.argv[1]), sys.argv[2]
session = PlanSession(Store(path))
statement = FieldKey("people", person_id, "statement")
start = int(session.plan.record("people", person_id)["statement"].split()[0])
print("start", start, flush=True)
for number in range(start + 1, start + 100_000):
    session.set_field(statement, f"{number} " + "I love you and I am worried. " * 40)
    print(number, flush=True)
"""


def statement_for(number: int) -> str:
    return f"{number} " + "I love you and I am worried. " * 40


def python(script: str, *args, **popen_options) -> subprocess.Popen:
    return start_python("-c", script, *args, **popen_options)


def test_two_processes_editing_at_once_lose_no_edit(tmp_path):
    path = tmp_path / "kindred.json"
    people, edits = 20, 100
    names = ("anna", "ben")
    children = [python(EDITOR, path, name, people, edits, stdin=subprocess.PIPE) for name in names]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            out, err = child.communicate(timeout=60)
            assert (child.returncode, out.strip()) == (0, "done"), err
    finally:
        for child in children:
            child.kill()
            child.wait()
    saved = PlanSession(Store(path)).plan.people
    assert sorted(p["name"] for p in saved) == sorted(
        f"{name}-{n}" for name in names for n in range(people)
    )
    by_name = {p["name"]: p for p in saved}
    fields = ("relationship", "read_by", "enabling", "statement", "bottom_line")
    for name in names:
        for edit in range(edits):
            person = by_name[f"{name}-{edit % people}"]
            assert person[fields[edit // people]] == f"{name}-{edit}"


def test_killing_a_process_in_the_middle_of_its_saves_always_leaves_a_whole_plan(tmp_path):
    path = tmp_path / "kindred.json"
    setup = PlanSession(Store(path))
    others = [
        setup.add("people", {"name": f"Friend {n}", "statement": "x " * 2_000}) for n in range(40)
    ]
    anna = setup.add("people", {"name": "Anna", "statement": statement_for(0)})
    for generation in range(RECENT_BACKUPS):  # every backup holds everyone, however soon
        setup.set_field(FieldKey("plan", "plan", "title"), f"Before the kills {generation}")
    chance = random.Random(20250301)
    for _ in range(20):
        child = python(SAVER, path, anna)
        try:
            first = child.stdout.readline().split()
            assert first[:1] == ["start"], child.stderr.read()
            time.sleep(chance.uniform(0, 0.1))
        finally:
            child.kill()
        out, _ = child.communicate(timeout=30)
        completed = [int(line) for line in out.split()]
        last_done = completed[-1] if completed else int(first[1])
        plan = PlanSession(Store(path)).plan
        assert plan.record("people", anna)["statement"] in (
            statement_for(last_done),
            statement_for(last_done + 1),
        )
        assert sorted(p["id"] for p in plan.people) == sorted([*others, anna])
        assert all(p["statement"] == "x " * 2_000 for p in plan.people if p["id"] != anna)
        for backup in Store(path).backups():  # some from before Anna was added
            saved = PlanSession(Store(backup, read_only=True)).plan
            assert all(p["statement"] == "x " * 2_000 for p in saved.people if p["id"] != anna)
    PlanSession(Store(path)).set_field(FieldKey("plan", "plan", "title"), "After the kills")
    assert PlanSession(Store(path)).plan.title == "After the kills"
    assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []
