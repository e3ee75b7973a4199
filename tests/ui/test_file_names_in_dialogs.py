"""The app's dialogs and messages name files others may have named without passing their
control characters to the terminal."""

import os
import re

from waiting import until

from tui.core.store import Store
from tui.ui.screens.data_problem import DataProblemScreen
from tui.ui.screens.permissions import PermissionsScreen

HOSTILE = "\x1b]0;owned\x07\x1b[2J\nfake line\u202e"
ANY_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(widget) -> str:
    return str(widget.render())


def toasts(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_a_plan_that_cannot_be_opened_in_a_folder_others_named(make_app, tmp_path):
    folder = tmp_path / f"plans{HOSTILE}"
    folder.mkdir(mode=0o700)
    data = folder / "plan.json"
    data.write_text("{not json")
    data.chmod(0o600)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: app.screen.query("#problem-message"), "the problem shown")
        assert isinstance(app.screen, DataProblemScreen)
        message = shown(app.screen.query_one("#problem-message"))
        assert "␛" in message and not ANY_CONTROL.search(message)
        app.screen.query_one("#read-only").press()
        await pilot.pause()
        status = shown(app.query_one("#plan-status"))
        assert "␛" in status and not ANY_CONTROL.search(status.replace("\n", ""))

    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.screen.query_one("#fresh").press()
        await until(pilot, lambda: "kept as" in toasts(app), "the notice naming the kept file")
        told = toasts(app)
        assert "kept as" in told and "␛" in told
        assert not ANY_CONTROL.search(told.replace("\n", " "))


async def test_the_permission_dialog_names_a_file_others_put_beside_the_plan(make_app, tmp_path):
    folder = tmp_path / "family"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    data = folder / "plan.json"
    Store(data).upsert("plan", "plan", {"title": ""})
    planted = folder / f"plan.json.unreadable-{HOSTILE}"
    planted.write_text("{}")
    os.chmod(planted, 0o644)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#permission-findings Static"), "the findings")
        assert isinstance(app.screen, PermissionsScreen)
        text = shown(app.screen.query_one("#permission-findings Static"))
        assert "␛" in text
        assert not ANY_CONTROL.search(text.replace("\n", " "))
