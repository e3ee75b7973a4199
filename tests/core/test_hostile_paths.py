"""File names are text from other people too: a member of the group sharing a plan can name a
file beside it, or a folder on the way to it. Wherever a name is shown, its control characters
are shown as visible symbols, as plan text is, and it never breaks a line."""

import json
import os
import re
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.guide import ContentError, load_guide
from tui.core.permissions import check_data_file
from tui.core.safe_text import shown_path
from tui.core.store import Store, UnreadableFile

# Sets the terminal's title, clears the screen, starts a line of its own, turns text around.
HOSTILE = "\x1b]0;owned\x07\x1b[2J\nfake line\t\u202e\x9b"
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(message: str) -> bool:
    return ANY_CONTROL.search(message) is None and "␛" in message


def test_a_shown_path_keeps_every_other_character():
    assert shown_path(Path("/srv/plan/Zoë's plan.json")) == "/srv/plan/Zoë's plan.json"
    assert shown_path(f"a{HOSTILE}") == "a␛]0;owned␇␛[2J␊fake line␉\ufffd\ufffd"


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "family"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    return folder


def test_the_permission_check_shows_a_name_others_chose_without_its_controls(shared):
    plan = shared / "kindred.json"
    Store(plan).upsert("plan", "plan", {"title": ""})
    planted = shared / f"kindred.json.unreadable-{HOSTILE}"
    planted.write_text("{}")
    os.chmod(planted, 0o644)
    findings = [f for f in check_data_file(plan) if HOSTILE[:4] in visible_names(f)]
    assert findings, check_data_file(plan)
    for finding in findings:
        assert clean(finding.message)
        assert finding.fix is None or clean(finding.fix)


def visible_names(finding) -> str:
    return (finding.message + (finding.fix or "")).replace("␛", "\x1b")


def test_a_plan_that_cannot_be_opened_is_named_without_controls(tmp_path):
    folder = tmp_path / f"plans{HOSTILE}"
    folder.mkdir()
    plan = folder / "kindred.json"
    plan.write_text("{not json")
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    assert clean(caught.value.message)


def run(arguments: list[str], capsys) -> str:
    capsys.readouterr()
    try:
        main(arguments)
    except SystemExit:
        pass
    out, err = capsys.readouterr()
    return out + err


def test_the_command_line_names_files_without_their_controls(tmp_path, capsys, data):
    bad = tmp_path / f"plan{HOSTILE}.json"
    bad.write_text(json.dumps({"format": "kindred-plan", "version": 1}))
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"format": "kindred-plan", "version": 1, "plan": {"title": "", "people": []}})
    )
    missing_folder = tmp_path / f"gone{HOSTILE}" / "plan.md"
    fifo = tmp_path / f"pipe{HOSTILE}"
    os.mkfifo(fifo)
    messages = [
        run(["import", str(bad), "--data", str(data)], capsys),
        run(["export", "-o", str(missing_folder), "--data", str(data)], capsys),
        run(["export", "-o", str(fifo), "--data", str(data)], capsys),
        run(["export", "-o", str(tmp_path / f"out{HOSTILE}"), "--data", str(data)], capsys),
        run(["import", str(good), str(bad)], capsys),  # one file too many, as a * can give
    ]
    for message in messages:
        assert "␛" in message, message
        assert all(clean(line) for line in message.splitlines() if "␛" in line), message
        assert "fake line" not in message.replace("␊fake line", "")


def test_doctor_names_the_plan_and_its_folder_on_their_own_lines(tmp_path, capsys):
    folder = tmp_path / f"plans{HOSTILE}"
    folder.mkdir(mode=0o700)
    plan = folder / "kindred.json"
    Store(plan).upsert("plan", "plan", {"title": ""})
    out = run(["doctor", "--data", str(plan)], capsys)
    data_line = next(line for line in out.splitlines() if line.startswith("Data file:"))
    assert data_line == f"Data file:     {shown_path(plan)}"
    assert "fake line" not in out.replace(shown_path(folder), "")


def test_a_guide_file_others_named_is_named_without_controls(tmp_path):
    guide = tmp_path / "guide"
    guide.mkdir()
    (guide / f"intro{HOSTILE}.md").write_text("no front matter\n")
    with pytest.raises(ContentError) as caught:
        load_guide(guide)
    assert clean(str(caught.value))
