"""Notices take lines of their own: they never cover the text being read or written."""

import pytest
from waiting import until


@pytest.mark.parametrize("length", [76, 77, 78, 150])
async def test_a_notice_never_covers_the_panes_nor_the_key_bar(make_app, tmp_path, length):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        panes = app.screen.query_one("#panes")
        lines_before = panes.region.height
        app.notify(("Target length: ']' is not a length of time. " * 4)[:length])
        await until(pilot, lambda: app.screen.query("Toast"), "the notice shown")
        await pilot.pause()
        (toast,) = app.screen.query("Toast")
        key_bar = app.screen.query_one("KeyBar")
        assert not toast.region.overlaps(panes.region)
        assert not toast.region.overlaps(key_bar.region)
        assert panes.region.height == lines_before - toast.region.height
        app.clear_notifications()
        await until(pilot, lambda: panes.region.height == lines_before, "the lines given back")
