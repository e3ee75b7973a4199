"""The dialogs: a question in a box with its buttons, over the screen, small and large."""

import pytest

from tui.core.permissions import Finding
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.data_problem import DataProblemScreen
from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
from tui.ui.screens.permissions import PermissionsScreen

SIZES = [(80, 24), (120, 40)]
DIALOGS = {
    "confirm": lambda: ConfirmScreen("Delete Anna and her statement?"),
    "keep-or-discard": lambda: KeepOrDiscardScreen("Anna"),
    "data-problem": lambda: DataProblemScreen(
        "The plan file plans/kindred.json is not valid JSON (line 1, column 2)."
    ),
    "permissions": lambda: PermissionsScreen(
        [
            Finding(
                "problem", "Anyone can read the plan file.", "Run: chmod 600 plans/kindred.json"
            ),
            Finding("warning", "Others can look into the plan's folder."),
        ]
    ),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("dialog", DIALOGS)
def test_dialog(snap_compare, make_app, dialog, size):
    async def open_dialog(pilot):
        pilot.app.push_screen(DIALOGS[dialog]())
        await pilot.pause()

    assert snap_compare(make_app(), run_before=open_dialog, terminal_size=size)
