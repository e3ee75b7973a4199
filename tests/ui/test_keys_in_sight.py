"""The safety key and the key that hides the screen are always in sight at 80x24, however
many keys the part on screen adds to the key bar."""

import pytest

from tui.core.store import Store
from tui.ui.widgets.pane_tabs import PaneTabs


@pytest.mark.parametrize("keys", [(), ("f3",), ("f3", "down", "enter"), ("f4", "tab")])
async def test_safety_and_hiding_are_always_in_sight(make_app, tmp_path, keys):
    data = tmp_path / "plan.json"
    Store(data).insert("people", {"id": "anna", "name": "Anna", "order": 1})
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        top_row = str(app.screen.query_one(PaneTabs).render()).splitlines()[0]
        assert top_row.endswith("F5 Safety  F12 Hide")
        assert len(top_row) == 80 - 1  # and a space
