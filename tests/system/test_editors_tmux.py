"""Two people on one plan, each with the real `kindred` in a terminal of their own (tmux,
80x24), and an import replacing the plan while someone types: what a screen shows as saved
is what the file holds, and a version another save replaced is kept to be put back.

Every key is sent only once the screen shows that the one before it landed (the key bar,
the text of a field and where its cursor is), and every wait is for the screen or the file."""

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_e2e_tmux import KINDRED, TMUX, WAIT_SECONDS, Terminal, wait_until

from tui.core.session import PlanSession
from tui.core.store import Store

pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end tests drive kindred inside tmux"
)
SAVED = "All changes saved."
PUT_BACK_KEY = "F8 Put your version back"  # in the key bar while a replaced version is kept
FORM_LEFT, FORM_RIGHT = 32, 76  # the columns of the plan's form at 80x24
IMPORTED = "from the import"
FOCUS_BAR = "█"  # down the left of the field with the focus


@dataclass(frozen=True)
class Box:
    """Where a field of Anna's form shows its text: rows and columns from its label, and
    where the terminal's cursor is put after the text while the field has the focus."""

    label: str
    rows_below: int
    indent: int
    cursor_after: int
    placeholder: str = ""


RELATIONSHIP = Box(  # the text after the focus bar and a space
    "Relationship to your loved one", 1, 0, cursor_after=2, placeholder="e.g. sister, friend"
)
STATEMENT = Box("Statement", rows_below=2, indent=2, cursor_after=0)  # inside a frame


@dataclass(frozen=True)
class Shown:
    text: str
    cursor_at_end: bool  # the field has the focus, its cursor after the text
    screen: str = field(repr=False)


def look(terminal: Terminal, box: Box) -> Shown | None:
    """The first line of a field's text as shown, or None while its label is out of sight."""
    cursor = terminal.tmux("display-message", "-p", "-t", "kindred", "#{cursor_x} #{cursor_y}")
    screen = terminal.screen()
    lines = screen.splitlines()
    label_rows = [
        row
        for row, line in enumerate(lines)
        if line[FORM_LEFT - 3 : FORM_RIGHT].rstrip() == f"▕  {box.label}"
    ]
    if not label_rows:
        return None
    column, text_row = FORM_LEFT + box.indent, label_rows[0] + box.rows_below
    if text_row >= len(lines):
        return None
    text = lines[text_row][column:FORM_RIGHT].removeprefix(FOCUS_BAR).strip()
    if text == box.placeholder:
        text = ""
    at_end = cursor.stdout.split() == [str(column + len(text) + box.cursor_after), str(text_row)]
    return Shown(text, at_end, screen)


def form_text(screen: str) -> str:
    """The form's words, its wrapped lines joined."""
    return " ".join(" ".join(line[FORM_LEFT:FORM_RIGHT].split()) for line in screen.splitlines())


def wait_for_field(terminal: Terminal, box: Box, text: str, typing: bool = True) -> Shown:
    """Wait until the field shows text (typing: with the focus and its cursor after it)."""
    seen: list[Shown | None] = [None]

    def landed() -> bool:
        seen[0] = shown = look(terminal, box)
        return shown is not None and shown.text == text and (shown.cursor_at_end or not typing)

    try:
        wait_until(landed, f"{box.label} showing {text!r}")
    except pytest.fail.Exception as failed:
        pytest.fail(f"{failed}; last seen {seen[0]}, and now:\n{terminal.screen()}")
    return seen[0]


def replace_in_field(terminal: Terminal, box: Box, text: str) -> None:
    """Type text in place of the one line the focused field shows, one step at a time."""
    shown = look(terminal, box)
    assert shown is not None, terminal.screen()
    if shown.text:
        terminal.press("End", "C-u")
        wait_for_field(terminal, box, "", typing=False)
    terminal.type(text)
    wait_for_field(terminal, box, text)


def plan_with_anna(data: Path) -> None:
    data.parent.mkdir(mode=0o700)
    data.parent.chmod(0o700)
    PlanSession(Store(data), default_country="US").add("people", {"name": "Anna"})


def annas(data: Path, field: str) -> str:
    (anna,) = json.loads(data.read_text(encoding="utf-8"))["people"].values()
    return anna.get(field, "")


def open_annas_field(terminal: Terminal, data: Path, box: Box, tabs: int) -> None:
    """Start kindred on the plan and put the focus in one of Anna's fields."""
    terminal.start("--data", data)
    terminal.wait_for("Planning an intervention")
    terminal.press("F3")
    terminal.wait_for("Overview · ready")
    terminal.press("Down", "Down")
    terminal.wait_for("Person: Anna")
    terminal.press("Enter")
    wait_until(lambda: "del Delete" not in terminal.screen(), "the focus leaving the list")
    terminal.press(*["Tab"] * tabs)  # tab acts as it arrives: keys after it go to the field
    # In sight, empty, and with the terminal's cursor in it, where the form scrolled to.
    wait_for_field(terminal, box, "")


def saved_shown_is_on_disk(terminal: Terminal, box: Box, data: Path, field: str) -> bool:
    shown = look(terminal, box)
    return shown is None or SAVED not in shown.screen or shown.text == annas(data, field)


@pytest.fixture
def terminals(tmp_path):
    opened = [Terminal(tmp_path / f"tmux-{number}.sock") for number in (1, 2)]
    try:
        yield opened
    finally:
        for terminal in opened:
            terminal.close()


def test_two_editors_of_one_field_the_later_save_wins_and_the_other_can_put_theirs_back(
    terminals, tmp_path
):
    data = tmp_path / "private" / "kindred.json"
    plan_with_anna(data)
    first, second = terminals
    for terminal in terminals:
        open_annas_field(terminal, data, RELATIONSHIP, tabs=1)

    first.type("sister")
    wait_for_field(first, RELATIONSHIP, "sister")
    wait_until(lambda: annas(data, "relationship") == "sister", "saving 'sister'")
    first.wait_for(SAVED)
    # Taken in on the second screen, where nothing was typed yet.
    wait_for_field(second, RELATIONSHIP, "sister", typing=False)
    assert SAVED not in second.screen()

    replace_in_field(second, RELATIONSHIP, "aunt")
    wait_until(lambda: annas(data, "relationship") == "aunt", "saving 'aunt'")
    second.wait_for(SAVED)

    # The later save wins on the first screen too, and "sister" is kept under the field.
    wait_for_field(first, RELATIONSHIP, "aunt", typing=False)
    first.wait_for(PUT_BACK_KEY)
    assert "Your version (F8 puts it back): sister" in form_text(first.screen())
    for terminal in terminals:
        assert saved_shown_is_on_disk(terminal, RELATIONSHIP, data, "relationship")

    first.press("F8")
    wait_until(lambda: annas(data, "relationship") == "sister", "putting 'sister' back")
    wait_for_field(first, RELATIONSHIP, "sister", typing=False)
    wait_until(lambda: PUT_BACK_KEY not in first.screen(), "the put-back key going")
    assert "Your version" not in form_text(first.screen())
    wait_for_field(second, RELATIONSHIP, "sister", typing=False)
    second.wait_for(PUT_BACK_KEY)
    assert "Your version (F8 puts it back): aunt" in form_text(second.screen())
    for terminal in terminals:
        assert saved_shown_is_on_disk(terminal, RELATIONSHIP, data, "relationship")
        terminal.press("C-q")
        terminal.wait_until_closed()
    assert annas(data, "relationship") == "sister"


def import_replacing(plan: Path, imported: Path) -> None:
    subprocess.run(
        [str(KINDRED), "import", "--replace", str(imported), "--data", str(plan)],
        capture_output=True,
        check=True,
        timeout=WAIT_SECONDS,
    )


# When each word's import runs: a moment after the word shows in the field (its save waits
# half a second after the last key, so the import comes before, about at, or after it), or
# once the word is saved (None: then the import replaces it, and the word must be kept).
IMPORT_AFTER = {"one": 0.0, "two": None, "three": 0.3, "four": None, "five": 0.6, "six": None}


def type_beside_an_import(editor: Terminal, data: Path, imported: Path, word: str) -> None:
    """Type word in the statement, import a plan over it, and check what the screen shows
    against the file once both settle; a word the import replaced is put back with F8."""
    replace_in_field(editor, STATEMENT, word)
    delay = IMPORT_AFTER[word]
    if delay is None:
        wait_until(lambda: annas(data, "statement") == word, f"saving {word!r}")
    else:
        time.sleep(delay)
    import_replacing(data, imported)

    # Either the word was saved after the import, or the import replaced it after its save:
    # then the field shows the import, and the word is kept to be put back.
    def settled() -> bool:
        shown = look(editor, STATEMENT)
        on_disk = annas(data, "statement")
        replaced = on_disk == IMPORTED and PUT_BACK_KEY in editor.screen()
        return (
            shown is not None
            and shown.text == on_disk
            and SAVED in shown.screen
            and (on_disk == word or replaced)
        )

    try:
        wait_until(settled, f"the screen agreeing with the file after typing {word!r}")
    except pytest.fail.Exception as failed:
        pytest.fail(f"{failed}; the file has {annas(data, 'statement')!r}:\n{editor.screen()}")
    if delay is None or annas(data, "statement") == IMPORTED:
        assert annas(data, "statement") == IMPORTED
        editor.wait_for("“Statement” (Anna) was changed in")  # the notice, shown after F8
        editor.press("F8")
        wait_until(lambda: annas(data, "statement") == word, f"putting {word!r} back")
        wait_for_field(editor, STATEMENT, word, typing=False)
        wait_until(lambda: PUT_BACK_KEY not in editor.screen(), "the put-back key going")
    assert saved_shown_is_on_disk(editor, STATEMENT, data, "statement")


def test_typing_a_statement_beside_imports_never_shows_as_saved_what_the_file_lacks(
    terminals, tmp_path
):
    data = tmp_path / "private" / "kindred.json"
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
    exported["plan"]["people"][0]["statement"] = IMPORTED
    imported = tmp_path / "import.json"
    imported.write_text(json.dumps(exported), encoding="utf-8")
    editor = terminals[0]
    open_annas_field(editor, data, STATEMENT, tabs=9)
    for word in IMPORT_AFTER:
        type_beside_an_import(editor, data, imported, word)
    editor.press("C-q")
    editor.wait_until_closed()
    assert annas(data, "statement") == "six"
