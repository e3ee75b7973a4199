"""Where the focus is, seen at a glance: in 256 colours, in 16 (Textual's ANSI theme, the
colours such a terminal has) and without colour (NO_COLOR)."""

import pytest

from tui.core.store import Store

COLOURS = ["256-colours", "16-colours", "no-colour"]
TABS_INTO_THE_FORM = {"the-list": None, "a-field": 1, "a-choice": 2}


def focus_in(place: str):
    """Keys that put the focus in place; the form is laid out before the tabs move into it,
    as a person sees it (else the form may scroll to a field's place before it is final)."""

    async def press(pilot) -> None:
        await pilot.press("f3", "down", "down")
        tabs = TABS_INTO_THE_FORM[place]
        if tabs is None:
            return
        await pilot.press("enter")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)
        await pilot.press(*["tab"] * tabs)

    return press


@pytest.fixture
def plan_with_anna(tmp_path):
    path = tmp_path / "plan.json"
    Store(path).insert(
        "people",
        {"id": "anna", "name": "Anna", "relationship": "sister", "role": "chair", "order": 1},
    )
    return path


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("place", TABS_INTO_THE_FORM)
def test_the_focus_shows_at_80x24(
    snap_compare, make_app, plan_with_anna, monkeypatch, colours, place
):
    if colours == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(data_path=plan_with_anna)
    if colours == "16-colours":
        app.theme = "ansi-dark"
    assert snap_compare(app, run_before=focus_in(place), terminal_size=(80, 24))


@pytest.mark.parametrize("place", TABS_INTO_THE_FORM)
def test_the_focus_shows_at_120x40(snap_compare, make_app, plan_with_anna, place):
    app = make_app(data_path=plan_with_anna)
    assert snap_compare(app, run_before=focus_in(place), terminal_size=(120, 40))
