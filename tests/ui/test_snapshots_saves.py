"""The question asked when quitting with changes that could not be saved, small and large."""

import pytest

from tui.ui.screens.unsaved import UnsavedScreen

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_quitting_with_unsaved_changes(snap_compare, make_app, size):
    async def open_dialog(pilot):
        pilot.app.push_screen(
            UnsavedScreen(
                "Could not save: the disk is full. Your last saved plan is safe in "
                "plans/kindred.json."
            )
        )
        await pilot.pause()

    assert snap_compare(make_app(), run_before=open_dialog, terminal_size=size)
