"""Two people on one plan, each with the real `kindred` in a terminal of their own (tmux,
80x24): what a screen shows is what the file holds, and a version another save replaced
stays on screen to be put back."""

import json
from pathlib import Path

import pytest
from test_e2e_tmux import TMUX, Terminal, wait_until

from tui.core.session import PlanSession
from tui.core.store import Store

pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end tests drive kindred inside tmux"
)
LABEL = "Relationship to your loved one"


def plan_with_anna(data: Path) -> None:
    PlanSession(Store(data), default_country="US").add("people", {"name": "Anna"})


def relationship_on_disk(data: Path) -> str:
    (anna,) = json.loads(data.read_text(encoding="utf-8"))["people"].values()
    return anna.get("relationship", "")


def shown_relationship(terminal: Terminal) -> str:
    """What the Relationship field shows: the line under its label, right of the list."""
    lines = terminal.screen().splitlines()
    row = next(number for number, line in enumerate(lines) if LABEL in line)
    column = lines[row].index(LABEL)
    return lines[row + 1][column:].strip()


def open_annas_relationship(terminal: Terminal, data: Path) -> None:
    terminal.start("--data", data)
    terminal.wait_for("Planning an intervention")
    terminal.press("F3")
    terminal.wait_for("Overview · ready")
    terminal.press("Down", "Down")
    terminal.wait_for("Person: Anna")
    terminal.press("Enter", "Tab")


def type_and_wait_for_the_save(terminal: Terminal, data: Path, text: str) -> None:
    terminal.press("End", "C-u")  # clears what the field shows
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
