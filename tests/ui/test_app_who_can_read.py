"""The Overview says who can read the plan, by name."""

import os
import pwd

import pytest
from textual.widgets import Static

from tui.core import permissions
from tui.core.store import Store

REAL_WHO_CAN_READ = permissions.who_can_read  # the UI tests' conftest puts a fixed one in


@pytest.fixture(autouse=True)
def real_readers(monkeypatch):
    monkeypatch.setattr(permissions, "who_can_read", REAL_WHO_CAN_READ)


async def test_the_overview_names_who_can_read_the_plan(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).upsert("plan", "plan", {"title": "Spring plan"})
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one("#who-can-read", Static).render())
        me = pwd.getpwuid(os.geteuid()).pw_name
        assert f"you ({me})" in shown
        assert "root" in shown  # an administrator, who can read any file


async def test_without_a_plan_file_nobody_can_read_it_yet(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one("#who-can-read", Static).render())
        assert shown.startswith("Nobody yet")
