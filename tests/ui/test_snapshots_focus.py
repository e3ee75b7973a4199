"""Where the focus is, seen at a glance: in 256 colours, in 16 (Textual's ANSI theme, the
colours such a terminal has) and without colour (NO_COLOR)."""

import pytest

from tui.core.store import Store

COLOURS = ["256-colours", "16-colours", "no-colour"]
FOCUS_IN = {
    "the-list": ["f3", "down", "down"],
    "a-field": ["f3", "down", "down", "enter", "tab"],
    "a-choice": ["f3", "down", "down", "enter", "tab", "tab"],
}


@pytest.fixture
def plan_with_anna(tmp_path):
    path = tmp_path / "plan.json"
    Store(path).insert(
        "people",
        {"id": "anna", "name": "Anna", "relationship": "sister", "role": "chair", "order": 1},
    )
    return path


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("focus_in", FOCUS_IN)
def test_the_focus_shows_at_80x24(
    snap_compare, make_app, plan_with_anna, monkeypatch, colours, focus_in
):
    if colours == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(data_path=plan_with_anna)
    if colours == "16-colours":
        app.theme = "ansi-dark"
    assert snap_compare(app, press=FOCUS_IN[focus_in], terminal_size=(80, 24))


@pytest.mark.parametrize("focus_in", FOCUS_IN)
def test_the_focus_shows_at_120x40(snap_compare, make_app, plan_with_anna, focus_in):
    app = make_app(data_path=plan_with_anna)
    assert snap_compare(app, press=FOCUS_IN[focus_in], terminal_size=(120, 40))
