"""Who changed what, as a person finds it: the Changes view, and putting an earlier value back."""

from textual.widgets import OptionList

from tui.core.history import account_name
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store
from tui.ui.screens.changes import ChangesScreen, EarlierValuesScreen
from tui.ui.widgets.record_form import RecordForm


def plan_ben_started(path) -> None:
    """A plan where Ben added Anna, a sister."""
    ben = PlanSession(Store(path), who="ben")
    ben.store.insert("people", {"id": "anna", "name": "", "order": 1})
    ben.set_field(FieldKey("people", "anna", "name"), "Anna")
    ben.set_field(FieldKey("people", "anna", "relationship"), "sister")


def rows(screen) -> list[str]:
    changes = screen.query_one(OptionList)
    return [str(changes.get_option_at_index(i).prompt) for i in range(changes.option_count)]


async def open_annas_form(pilot) -> RecordForm:
    app = pilot.app
    await app.main_screen.work_panes_ready.wait()
    await pilot.press("f3")
    nav = app.main_screen.plan_pane.nav
    nav.highlighted = [option.id for option in nav.options].index("people:anna")
    await pilot.pause()
    await pilot.press("enter")
    return app.query_one(RecordForm)


async def test_two_edits_show_in_the_changes_newest_first_and_by_person(make_app, tmp_path):
    data = tmp_path / "plan.json"
    plan_ben_started(data)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_annas_form(pilot)
        await pilot.press("ctrl+u", *"Annie", "tab", "ctrl+u", *"friend", "escape")
        await pilot.pause()
        await pilot.press("h")
        assert isinstance(app.screen, ChangesScreen)
        me = account_name()
        shown = rows(app.screen)
        assert me in shown[0] and "Relationship to your loved one: “sister” → “friend”" in shown[0]
        assert me in shown[1] and "Name: “Anna” → “Annie”" in shown[1]
        assert (
            "ben" in shown[2] and "Relationship to your loved one: (empty) → “sister”" in shown[2]
        )
        await pilot.press("f")  # one person at a time, in order of their names
        first, second = sorted(["ben", me], key=str.lower)
        assert all(first in row for row in rows(app.screen))
        await pilot.press("f")
        assert all(second in row for row in rows(app.screen))
        await pilot.press("f")
        assert len(rows(app.screen)) == 4
        await pilot.press("escape")
        assert not isinstance(app.screen, ChangesScreen)


async def test_an_earlier_value_is_put_back_and_is_itself_a_change(make_app, tmp_path):
    data = tmp_path / "plan.json"
    plan_ben_started(data)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_annas_form(pilot)
        name = form.query_one("#field-name")
        await pilot.press("ctrl+u", *"Annie", "tab", "shift+tab")
        await pilot.pause()
        assert app.focused is name
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, EarlierValuesScreen)
        assert rows(app.screen) == ["“Anna”", "(empty)"]  # not "Annie": that is shown now
        await pilot.press("enter")
        await pilot.pause()
        assert name.value == "Anna"
        assert Store(data, read_only=True).read()["people"][0]["name"] == "Anna"
        await pilot.press("escape", "h")
        newest = rows(app.screen)[0]
        assert "Name: “Annie” → “Anna” (put back)" in newest


async def test_names_and_values_from_the_file_are_shown_as_written(make_app, tmp_path):
    data = tmp_path / "plan.json"
    hostile = PlanSession(Store(data), who="[b]mal[/b]\x1b]0;title\x07")
    hostile.set_field(FieldKey("plan", "plan", "title"), "[red]Spring[/red] plan")
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f3", "h")
        (row,) = rows(app.screen)
        assert "[b]mal[/b]␛]0;title␇" in row
        assert "“[red]Spring[/red] plan”" in row


async def test_the_earlier_values_of_a_statement_open_from_its_long_text_box(make_app, tmp_path):
    data = tmp_path / "plan.json"
    plan_ben_started(data)
    PlanSession(Store(data), who="ben").set_field(FieldKey("people", "anna", "statement"), "Hi.")
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_annas_form(pilot)
        form.query_one("#field-statement").focus()
        await pilot.pause()
        await pilot.press("f7")  # the text box's own F7 would select all its text
        await pilot.pause()
        assert isinstance(app.screen, EarlierValuesScreen)
        assert rows(app.screen) == ["(empty)"]
