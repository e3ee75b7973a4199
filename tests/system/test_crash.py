"""A bug that stops the app shows a plain message, never a traceback with plan text in it.

Textual's own crash report is a traceback that prints each frame's local variables, and a
local variable can hold anything from the plan. Kindred replaces that report (KindredApp's
`_fatal_error`, a private part of Textual's App): these tests crash a real app, headless,
in a process of its own, while a statement sits in a local variable, and read its stderr.
"""

import json

from children import start_python

from tui.core.store import Store

SECRET = "Sam has been using again since March"

# argv: PLAN TEXTUAL_REPORT. The plan check the app runs every second reads a statement into
# a local variable and fails, naming it in the error too. With TEXTUAL_REPORT "yes", the app
# reports the crash the way Textual does by itself.
CRASHING_APP = """
import sys
from pathlib import Path

from textual.app import App

from tui.core.guide import load_guide
from tui.ui.app import KindredApp
from tui.ui.widgets.plan_pane import PlanPane


def check_outside_changes(self):
    statement = self.session.plan.people[0]["statement"]
    raise ValueError(f"cannot take in {statement!r}")


PlanPane.check_outside_changes = check_outside_changes
if sys.argv[2] == "yes":
    KindredApp._fatal_error = App._fatal_error
KindredApp(load_guide(), Path(sys.argv[1])).run(headless=True, size=(80, 24))
"""

CRASH_LINE = next(
    number for number, line in enumerate(CRASHING_APP.splitlines(), start=1) if "raise" in line
)


def crash(tmp_path, textual_report: bool = False) -> tuple[str, str]:
    """Run the app on a plan holding SECRET until it crashes; its stdout and stderr."""
    Store(tmp_path / "plan.json").insert(
        "people",
        {
            "id": "anna",
            "name": "Anna",
            "statement": SECRET,
            "order": 1,
        },
    )
    # A short path, so that the message's lines are not folded in the middle of it.
    child = start_python(
        "-c", CRASHING_APP, "plan.json", "yes" if textual_report else "no", cwd=tmp_path
    )
    out, err = child.communicate(timeout=60)
    return out, err


def test_a_crash_shows_only_kindreds_plain_message(tmp_path):
    out, err = crash(tmp_path)
    message = " ".join(err.split())
    assert message == (
        f"Kindred stopped because of an unexpected problem (ValueError in <string>, line "
        f"{CRASH_LINE}). Your plan is kept in plan.json; every change saved before this "
        "moment is there, and the backups beside it are untouched."
    )
    assert "Traceback" not in err
    assert SECRET not in out + err
    saved = json.loads((tmp_path / "plan.json").read_text())
    assert [person["statement"] for person in saved["people"].values()] == [SECRET]


def test_textuals_own_report_would_show_the_plan_text(tmp_path):
    """What the test above guards against: if this stops failing the check, Textual no longer
    prints local variables, and Kindred's replacement may no longer be needed."""
    _, err = crash(tmp_path, textual_report=True)
    assert "Traceback" in err
    assert SECRET in err
