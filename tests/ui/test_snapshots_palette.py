"""The command palette, finding guide sections, people and actions by name."""

import pytest
from textual.command import CommandInput, CommandPalette

from tui.core.store import Store

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def plan_with_people(tmp_path):
    path = tmp_path / "plan.json"
    store = Store(path)
    for order, name in enumerate(["Anna", "Ben"], start=1):
        store.insert(
            "people",
            {
                "id": name.lower(),
                "name": name,
                "relationship": "",
                "role": "member",
                "order": order,
                "target_seconds": 120,
                "statement": "",
                "bottom_line": "",
            },
        )
    return path


async def search_the_palette(pilot, query: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(CommandInput).cursor_blink = False
    await pilot.press(*query)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_palette_finds_a_person_and_what_to_do_with_them(
    snap_compare, make_app, plan_with_people, size
):
    async def find_anna(pilot):
        await search_the_palette(pilot, "anna")

    app = make_app(data_path=plan_with_people)
    assert snap_compare(app, run_before=find_anna, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_palette_finds_guide_sections(snap_compare, make_app, plan_with_people, size):
    # Hits of equal score from different sources come in either order: these are all
    # guide sections.
    async def find_treatment(pilot):
        await search_the_palette(pilot, "treat")

    app = make_app(data_path=plan_with_people)
    assert snap_compare(app, run_before=find_treatment, terminal_size=size)
