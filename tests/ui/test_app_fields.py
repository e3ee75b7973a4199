"""Fields, lists and screens without traps: what a person meets while filling in the plan."""

import json

from textual.command import CommandList, CommandPalette

from tests.ui.test_app_plan import saved_people
from tui.ui.screens.privacy import PrivacyScreen
from tui.ui.screens.too_small import TooSmallScreen
from tui.ui.widgets.plan_pane import ListEntry
from tui.ui.widgets.record_form import RecordForm


async def open_plan(pilot) -> None:
    await pilot.app.main_screen.work_panes_ready.wait()
    await pilot.press("f3")
    await pilot.pause()


async def test_enter_on_a_parts_heading_adds_nothing(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        pane = app.main_screen.plan_pane
        pane.rebuild_nav(ListEntry("part", "treatments"))
        await pilot.press("enter")
        await pilot.pause()
        assert pane.session.plan.lists["treatments"] == []
        assert app.focused is pane.nav
        await pilot.press("down", "enter")  # "+ Add a treatment option"
        await pilot.pause()
        assert len(pane.session.plan.lists["treatments"]) == 1
        assert isinstance(app.focused.parent, RecordForm)


async def palette_entries(pilot, query: str) -> list[str]:
    app = pilot.app
    await app.main_screen.work_panes_ready.wait()
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await app.workers.wait_for_complete()
    await pilot.pause()
    commands = app.screen.query_one(CommandList)
    entries = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
    await pilot.press("escape")
    return entries


async def test_the_palette_lists_only_kindreds_own_commands(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Safety" in " ".join(await palette_entries(pilot, "safety"))
        for query in ("screenshot", "theme", "keys", "quit as soon", "maximize"):
            entries = await palette_entries(pilot, query)
            assert all(query not in entry.lower() for entry in entries), entries


async def test_the_privacy_screen_says_which_key_brings_the_app_back(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert isinstance(app.screen, PrivacyScreen)
        assert "F12" in str(app.screen.query_one("#privacy-text").render())
        await pilot.press("f12")
        assert not isinstance(app.screen, PrivacyScreen)


async def test_tabbing_into_a_filled_box_puts_the_cursor_at_the_end_and_selects_nothing(
    make_app, tmp_path
):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Anna", "tab", *"sister", "home")
        await pilot.press("shift+tab")
        assert app.focused.id == "field-name"
        assert app.focused.selection.is_empty
        await pilot.press("!", "tab", "!", "escape")
        await pilot.pause(0.2)
    person = saved_people(data)[0]
    assert (person["name"], person["relationship"]) == ("Anna!", "sister!")


async def test_typing_a_place_in_the_speaking_order_moves_that_person_there(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        for name in ("Anna", "Ben", "Cleo"):
            await pilot.press("a", *name, "escape")
            await pilot.pause(0.1)
        form = app.main_screen.plan_pane.page
        assert form.record["name"] == "Cleo"
        form.query_one("#field-order").focus()
        await pilot.press("backspace", "1", "tab")
        await pilot.pause(0.2)
        assert [(p["name"], p["order"]) for p in saved_people(data)] == [
            ("Cleo", 1),
            ("Anna", 2),
            ("Ben", 3),
        ]
        nav = app.main_screen.plan_pane.nav
        shown = [str(option.prompt).strip() for option in nav.options]
        assert shown[2:5] == ["1. Cleo", "2. Anna", "3. Ben"]
        form.query_one("#field-order").focus()
        await pilot.press("backspace", "9", "tab")
        await pilot.pause(0.2)
        assert form.query_one("#field-order").value == "3"
        assert [p["name"] for p in saved_people(data)] == ["Anna", "Ben", "Cleo"]


async def test_a_choice_field_shows_all_its_options_with_the_chosen_one_marked(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        app.main_screen.plan_pane.rebuild_nav(ListEntry("single", "specialist"))
        await pilot.pause()
        role = app.query_one("#field-role")
        lines = str(role.render()).splitlines()
        assert len(lines) == 5 and role.outer_size.height == 5
        assert lines[0].startswith("● interventionist")
        assert [line[2:] for line in lines[1:]] == [
            "counsellor",
            "social worker",
            "therapist",
            "other",
        ]
        role.focus()
        await pilot.press("down", "down")
        await pilot.pause(0.2)
        assert str(role.render()).splitlines()[2].startswith("● social worker")
    saved = json.loads(data.read_text())["specialist"]
    assert [record["role"] for record in saved.values()] == ["social worker"]


async def test_keys_typed_while_the_terminal_is_too_small_are_refused_visibly(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Anna")
        await pilot.pause(0.8)
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        notice = app.screen.query_one("#too-small")
        assert "not used" not in str(notice.render())
        await pilot.press(*"Lee")
        assert "Keys typed now are not used" in str(notice.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.8)
        assert app.focused.value == "Anna"
    assert saved_people(data)[0]["name"] == "Anna"


async def test_after_safety_help_or_search_and_back_the_focus_is_where_it_was(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Anna", "tab")
        relationship = app.focused
        assert relationship.id == "field-relationship"
        await pilot.press("f5")
        await pilot.pause()
        assert app.main_screen.current_pane == "guide"
        await pilot.press("f3")
        await pilot.pause()
        assert app.focused is relationship
        await pilot.press("f1")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is relationship
        await pilot.press("escape", "down")  # to the list, and on to "+ Add a person"
        nav = app.focused
        await pilot.press("slash", *"naloxone", "escape")
        await pilot.pause()
        assert app.focused is nav
        await pilot.press("f2", "f3")
        await pilot.pause()
        assert app.focused is nav


async def test_a_long_name_in_the_plans_list_wraps_with_a_hanging_indent(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Margaret Anne Fitzgerald-Oyelaran", "escape")
        await pilot.pause(0.3)
        nav = app.main_screen.plan_pane.nav
        prompt = next(str(o.prompt) for o in nav.options if "Margaret" in str(o.prompt))
        first, *following = prompt.splitlines()
        assert first.startswith("  1. Margaret") and following
        assert all(line.startswith(" " * 5) and line[5] != " " for line in following)
        assert all(len(line) <= nav.scrollable_content_region.width for line in prompt.splitlines())
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.3)
        prompt = next(str(o.prompt) for o in nav.options if "Margaret" in str(o.prompt))
        assert all(len(line) <= nav.scrollable_content_region.width for line in prompt.splitlines())


async def test_tab_stops_only_on_what_shows_it_has_the_focus(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Anna", "escape")
        stops = []
        for _ in range(14):
            await pilot.press("tab")
            stops.append(app.focused)
        assert {type(stop).__name__ for stop in stops} <= {
            "PlanNav",
            "PlainInput",
            "ChoiceField",
            "TickBox",
            "PlainTextArea",
        }
        assert all(stop.region.area for stop in stops)


async def test_enter_on_the_overview_moves_into_its_form(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        assert app.focused is app.main_screen.plan_pane.nav
        await pilot.press("enter")
        assert app.focused.id == "field-title"


async def test_the_next_start_opens_where_the_person_was(make_app, tmp_path):
    data = tmp_path / "plan.json"
    first = make_app(data_path=data)
    async with first.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.press("a", *"Anna", "escape", "a", *"Ben", "escape", "up")
        await pilot.press("f2", "down", "down")
        await pilot.pause(0.2)
        section = first.main_screen.guide_pane.current.id
        await pilot.press("f3")
        entry = first.main_screen.plan_pane.nav.highlighted_entry
        assert entry.kind == "record"
        await pilot.press("ctrl+q")
    assert section != first.guide.sections[0].id
    again = make_app(data_path=data)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.main_screen.work_panes_ready.wait()
        await pilot.pause()
        assert again.main_screen.current_pane == "plan"
        assert again.main_screen.plan_pane.nav.highlighted_entry == entry
        assert again.focused is again.main_screen.plan_pane.nav
        assert again.main_screen.guide_pane.current.id == section
    elsewhere = make_app(data_path=tmp_path / "another-plan.json")
    async with elsewhere.run_test(size=(80, 24)) as pilot:
        await elsewhere.main_screen.work_panes_ready.wait()
        assert elsewhere.main_screen.current_pane == "guide"
