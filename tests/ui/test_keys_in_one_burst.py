"""Keys that arrive together, as over a slow link, act in the order they were typed."""

from textual import events
from textual.widgets import Input

from tui.ui.widgets.record_form import RecordForm

CHARACTERS = {"space": " ", "backspace": "\x7f", "tab": "\t", "enter": "\r"}


def burst(app, *keys: str) -> None:
    """Post the keys all at once, before the app has handled any of them."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def open_plan_with_anna(pilot) -> None:
    await pilot.app.main_screen.work_panes_ready.wait()
    await pilot.press("f3")
    pilot.app.main_screen.plan_pane.nav.focus()
    await pilot.press("a", *"Anna", "escape")
    await pilot.pause(0.1)
    pilot.app.main_screen.plan_pane.nav.highlighted = 0
    await pilot.pause()


def field(app, name: str) -> Input:
    return app.main_screen.plan_pane.page.query_one(f"#field-{name}")


async def test_down_down_enter_in_one_burst_opens_the_form_for_the_keys_after(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan_with_anna(pilot)
        burst(app, "down", "down", "enter", "end", *"ie")
        await pilot.pause(0.3)
        assert isinstance(app.main_screen.plan_pane.page, RecordForm)
        assert field(app, "name").value == "Annaie"


async def test_typing_and_deleting_in_one_burst_act_in_the_order_typed(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan_with_anna(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause(0.2)
        burst(app, "end", "x", "backspace", "9", "left", "backspace", "7")
        await pilot.pause(0.3)
        assert field(app, "name").value == "Ann79"


async def test_typing_in_a_long_text_box_and_deleting_in_one_burst_act_in_order(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan_with_anna(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause(0.2)
        field(app, "statement").focus()
        await pilot.pause()
        burst(app, *"ab", "backspace", "c", "left", "backspace", "d")
        await pilot.pause(0.3)
        assert field(app, "statement").text == "dc"
