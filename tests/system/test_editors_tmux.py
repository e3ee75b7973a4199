"""Two people on one plan, each with the real `kindred` in a terminal of their own (tmux,
80x24), and an import replacing the plan while someone types: what a screen shows is what
the file holds, and a version another save replaced stays on screen to be put back."""

import contextlib
import json
import subprocess
import time
from pathlib import Path

import pytest
from test_e2e_tmux import KINDRED, TMUX, WAIT_SECONDS, Terminal, wait_until

from tui.core.session import PlanSession
from tui.core.store import Store

pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end tests drive kindred inside tmux"
)
LABEL = "Relationship to your loved one"
PLACEHOLDER = "e.g. sister, friend"


def plan_with_anna(data: Path) -> None:
    PlanSession(Store(data), default_country="US").add("people", {"name": "Anna"})


def relationship_on_disk(data: Path) -> str:
    (anna,) = json.loads(data.read_text(encoding="utf-8"))["people"].values()
    return anna.get("relationship", "")


def shown_relationship(terminal: Terminal) -> str | None:
    """What the Relationship field shows: the line under its label, right of the list (None
    while a notice covers the label)."""
    lines = terminal.screen().splitlines()
    in_the_form = f"▕  {LABEL}"  # not the label quoted in a notice
    rows = [number for number, line in enumerate(lines) if in_the_form in line]
    if not rows:
        return None
    row = rows[0]
    column = lines[row].index(in_the_form) + 3
    shown = lines[row + 1][column:].strip()
    return "" if shown == PLACEHOLDER else shown


def open_annas_relationship(terminal: Terminal, data: Path) -> None:
    terminal.start("--data", data)
    terminal.wait_for("Planning an intervention")
    terminal.press("F3")
    terminal.wait_for("Overview · ready")
    terminal.press("Down", "Down")
    terminal.wait_for("Person: Anna")
    terminal.press("Enter", "Tab")
    # The field has the focus once what is typed shows in it.
    terminal.type("x")
    wait_until(lambda: shown_relationship(terminal) == "x", "typing in the field")
    clear_the_field(terminal)


def clear_the_field(terminal: Terminal) -> None:
    """Clear the Relationship field, and wait until it is clear: Textual runs a text box's
    editing keys (End, ctrl+u) a moment after the letters that follow them when it is busy."""
    if shown_relationship(terminal) == "":
        return  # a ctrl+u now could act after the letters typed next
    terminal.press("End", "C-u")
    with contextlib.suppress(pytest.fail.Exception):  # another save taken in meanwhile
        wait_until(lambda: shown_relationship(terminal) == "", "clearing the field", 2.0)


def type_and_wait_for_the_save(terminal: Terminal, data: Path, text: str) -> None:
    clear_the_field(terminal)
    terminal.type(text)
    wait_until(lambda: relationship_on_disk(data) == text, f"saving {text!r}:\n{terminal.screen()}")
    terminal.wait_for("All changes saved")


@pytest.fixture
def terminals(tmp_path):
    opened = [Terminal(tmp_path / f"tmux-{number}.sock") for number in (1, 2)]
    try:
        yield opened
    finally:
        for terminal in opened:
            terminal.close()


def test_two_editors_of_one_field_each_see_the_file_and_keep_their_own_version(terminals, tmp_path):
    data = tmp_path / "kindred.json"
    plan_with_anna(data)
    first, second = terminals
    open_annas_relationship(first, data)
    open_annas_relationship(second, data)
    type_and_wait_for_the_save(first, data, "sister")
    type_and_wait_for_the_save(second, data, "aunt")
    # The first screen shows the later save, and its own version under the field.
    first.wait_for("version (F8 puts it back): sister")
    assert shown_relationship(first) == "aunt"
    first.press("F8")
    wait_until(lambda: relationship_on_disk(data) == "sister", "putting back 'sister'")
    second.wait_for("version (F8 puts it back): aunt")
    assert shown_relationship(second) == "sister"
    assert shown_relationship(first) == "sister"
    for terminal in terminals:
        terminal.press("C-q")
        terminal.wait_until_closed()
    assert relationship_on_disk(data) == "sister"


def test_typing_beside_an_import_loop_never_shows_as_saved_what_the_file_lacks(terminals, tmp_path):
    data = tmp_path / "kindred.json"
    plan_with_anna(data)
    exported = json.loads(
        subprocess.run(
            [str(KINDRED), "export", "--format", "json", "--data", str(data)],
            capture_output=True,
            text=True,
            check=True,
            timeout=WAIT_SECONDS,
        ).stdout
    )
    exported["plan"]["people"][0]["relationship"] = "from the import"
    imported = tmp_path / "import.json"
    imported.write_text(json.dumps(exported), encoding="utf-8")
    editor = terminals[0]
    open_annas_relationship(editor, data)
    for word in ("one", "two", "three", "four"):
        subprocess.run(
            [str(KINDRED), "import", "--replace", str(imported), "--data", str(data)],
            capture_output=True,
            check=True,
            timeout=WAIT_SECONDS,
        )
        clear_the_field(editor)
        editor.type(word)
        time.sleep(0.3)
    # Once things settle, what the field shows (when no notice covers it) is what the file
    # holds; the last word typed is in the file, unless the import replaced it after its
    # save (then it was noted as the person's version); quitting saves nothing more.
    time.sleep(2.0)
    on_disk = relationship_on_disk(data)
    assert shown_relationship(editor) in (on_disk, None), editor.screen()
    assert on_disk in (word, "from the import")
    editor.press("C-q")
    editor.wait_until_closed()
    assert relationship_on_disk(data) == on_disk
