"""Using the guide from the keyboard, as a person would."""

import contextlib
import importlib
import inspect
import pkgutil
import shutil

from plan_files import another_program_holding_the_lock
from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import OptionList
from textual_internals import drawn_lines
from waiting import until

import tui.ui
from tui.core.guide import default_content_dir
from tui.core.store import Store
from tui.ui.commands import LONGEST_ENTRY
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.search import SearchScreen
from tui.ui.screens.too_small import TooSmallScreen
from tui.ui.widgets.key_bar import KeyBar


def reader_text(app) -> str:
    return str(app.main_screen.guide_pane.reader.text.render())


async def test_opens_on_the_first_section_with_the_contents(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.main_screen.guide_pane.current.id == "introduction"
        toc = app.query_one("#toc", OptionList)
        assert toc.option_count == len(app.guide.sections)
        assert app.focused is toc


async def test_arrow_keys_in_the_contents_open_sections(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        assert app.main_screen.guide_pane.current.id == app.guide.sections[1].id
        await pilot.press("down", "enter")
        assert app.main_screen.guide_pane.current.id == app.guide.sections[2].id
        assert app.focused is app.main_screen.guide_pane.reader
        assert app.guide.sections[2].title in reader_text(app)


async def test_brackets_turn_pages_and_stop_at_the_ends(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        assert app.focused is app.main_screen.guide_pane.reader
        await pilot.press("left_square_bracket")
        assert app.main_screen.guide_pane.current.id == "introduction"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.main_screen.guide_pane.current.id == app.guide.sections[2].id
        assert app.query_one("#toc", OptionList).highlighted == 2
        for _ in range(len(app.guide.sections) + 2):
            await pilot.press("right_square_bracket")
        assert app.main_screen.guide_pane.current.id == app.guide.sections[-1].id


async def test_reading_position_is_kept_per_section(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "pagedown", "pagedown")
        await pilot.pause()
        position = app.main_screen.guide_pane.reader.scroll_y
        assert position > 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.main_screen.guide_pane.reader.scroll_y == 0
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.main_screen.guide_pane.reader.scroll_y == position


async def test_search_for_naloxone_opens_the_hit_where_it_occurs(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"naloxone")
        screen = app.screen
        assert screen.hits
        await pilot.press("down", "enter")
        await pilot.pause()
        hit = screen.hits[1]
        assert not isinstance(app.screen, SearchScreen)
        assert app.main_screen.guide_pane.current.id == hit.section.id
        reader = app.main_screen.guide_pane.reader
        line = reader.text.line_of_block(hit.block_index)
        assert line > 0
        assert reader.scroll_y <= line < reader.scroll_y + reader.size.height


async def test_a_search_opened_before_the_plan_searches_again_in_the_plans_country(
    make_app, tmp_path, monkeypatch
):
    monkeypatch.setenv("LANG", "C.UTF-8")  # names no country: the guide gives every rule
    data = tmp_path / "plan.json"
    Store(data).insert("plan", {"id": "plan", "title": "Ours", "country": "US"})
    app = make_app(data_path=data)
    with contextlib.ExitStack() as lock:
        lock.enter_context(another_program_holding_the_lock(data))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"naloxone", "down")
            screen = app.screen
            assert "Rules on naloxone differ from country to…" in "\n".join(listed(screen))
            lock.close()  # the plan opens: the guide is filled in for the US
            await until(
                pilot,
                lambda: "Naloxone nasal spray has been sold…" in "\n".join(listed(screen)),
                "the search in the US guide",
            )
            assert "Rules on naloxone differ" not in "\n".join(listed(screen))
            status = str(screen.query_one("#search-status").render())
            assert status.startswith(f"{len(screen.hits)} hits.")
            assert screen.query_one("#search-hits", OptionList).highlighted == 1
            await pilot.press("enter")
            await pilot.pause()
            assert app.main_screen.guide_pane.current.id == screen.hits[1].section.id


async def test_search_says_when_nothing_is_found_and_escape_closes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"xylophone")
        assert app.screen.hits == []
        assert "Nothing found" in str(app.screen.query_one("#search-status").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)
        assert app.main_screen.guide_pane.current.id == "introduction"


def listed(screen: SearchScreen) -> list[str]:
    options = screen.query_one("#search-hits", OptionList)
    return [str(options.get_option_at_index(index).prompt) for index in range(options.option_count)]


async def test_search_lists_a_section_title_first_and_opens_it_at_the_top(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"refuse")
        screen = app.screen
        title, outline = listed(screen)[0].split("\n")
        assert title == "If treatment is refused"
        assert outline.startswith("Keeping your loved one safe · A home, and a plan")
        where, words = listed(screen)[1].split("\n")
        assert where == "Planning an intervention › How to use this guide"
        assert "refused" in words
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.guide_pane.current.id == "if-refused"
        assert app.main_screen.guide_pane.reader.scroll_y == 0


async def test_search_for_a_family_word_lists_the_guide_term(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"rehab")
        assert any("Residential (inpatient)" in option for option in listed(app.screen))


async def test_nothing_found_offers_the_closest_sections_to_open(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"what if he refuses")
        screen = app.screen
        assert screen.hits == []
        status = str(screen.query_one("#search-status").render())
        assert "Nothing found. Closest sections" in status
        assert [option.split("\n")[0] for option in listed(screen)] == ["If treatment is refused"]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.main_screen.guide_pane.current.id == "if-refused"
        assert app.main_screen.guide_pane.reader.scroll_y == 0
        assert app.focused is app.main_screen.guide_pane.reader


async def test_nothing_close_offers_nothing_and_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"zzz")
        status = str(app.screen.query_one("#search-status").render())
        assert "Nothing found for “zzz”. Try another word." in status
        assert listed(app.screen) == []
        await pilot.press("down", "enter")
        assert isinstance(app.screen, SearchScreen)


async def test_letters_typed_in_search_do_not_trigger_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"g?!/")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "g?!/"


# Classes whose keys the help leaves out, and why.
NOT_IN_HELP = {
    "HelpScreen": "the help's title says how to close it",
    "PrivacyScreen": "the keys that hide the screen bring it back: help lists them once",
    "ConfirmScreen": "the dialog's buttons name its keys",
    "DataProblemScreen": "the dialog's buttons say what escape does",
    "ExportScreen": "the dialog's buttons say what enter and escape do",
}


def classes_with_bindings() -> dict[str, type]:
    """Every class in tui.ui that defines BINDINGS itself, by name."""
    found = {}
    for module_info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                if "BINDINGS" in vars(value):
                    found[name] = value
    return found


def test_the_walk_finds_the_classes_with_bindings():
    found = classes_with_bindings()
    assert {"KindredApp", "GuideReader", "RehearsePane", "SearchScreen"} <= set(found)
    assert set(NOT_IN_HELP) <= set(found)


async def test_help_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = str(app.screen.query_one("#help-text").render()).splitlines()
        for name, cls in classes_with_bindings().items():
            if name in NOT_IN_HELP:
                continue
            for binding in cls.BINDINGS:
                if not isinstance(binding, Binding):
                    binding = Binding(*binding)
                keys = app.get_key_display(binding)
                listed = any(
                    row.rstrip().endswith(binding.description) and keys in row for row in rows
                )
                assert listed, f"{name}: {keys} ({binding.description}) is not in the help"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_safety_key_opens_staying_safe_from_anywhere(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"rehearse")
        await pilot.press("f5")
        assert not isinstance(app.screen, SearchScreen)
        assert app.main_screen.guide_pane.current.id == "staying-safe"
        text = reader_text(app)
        assert "911" in text and "naloxone" in text.lower()


async def test_command_palette_finds_sections_by_title(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"treatment options")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.guide_pane.current.id == "treatment-options"


async def test_command_palette_cuts_a_very_long_title(make_app, tmp_path):
    """A title of thousands of characters would make each search in the palette crawl."""
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    title = "Zebra " + "abc def " * 1_750
    (content / "99-long.md").write_text(
        f"---\nid: long\ntitle: {title}\norder: 99\n---\n\nText.\n", encoding="utf-8"
    )
    app = make_app(content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"zebra")
        await app.workers.wait_for_complete()
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        hits = [str(option.prompt) for option in palette.query_one(OptionList).options]
        assert hits == [f"Guide: {title}"[: LONGEST_ENTRY - 1] + "…"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.guide_pane.current.id == "long"


async def test_too_small_terminal_says_so_and_recovers(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.main_screen.guide_pane.current.id == app.guide.sections[1].id


async def test_keys_do_nothing_while_the_terminal_is_too_small(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        for key in ("slash", "f1", "question_mark", "ctrl+p", "f3", "p", "r", "tab"):
            await pilot.press(key)
            assert isinstance(app.screen, TooSmallScreen), key
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert len(app.screen_stack) == 1, app.screen_stack
        assert app.main_screen.current_pane == "guide"
        assert app.focused is app.query_one("#toc")


async def test_the_safety_key_works_under_the_too_small_notice(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("f5")
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.main_screen.guide_pane.current.id == "staying-safe"


async def test_hiding_the_screen_while_it_is_too_small_and_growing_it_meanwhile(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("f12")
        assert app.private
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.private
        await pilot.press("f12")
        await pilot.pause()
        assert not app.private
        assert len(app.screen_stack) == 1, app.screen_stack


async def test_ctrl_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_privacy_key_hides_everything_and_brings_it_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"nalox")
        await pilot.press("f12")
        assert app.private
        shown = app.export_screenshot()
        assert "nalox" not in shown and "Planning an intervention" not in shown
        for key in ("f1", "f5", "f3", "ctrl+p", "escape"):
            await pilot.press(key)
            assert app.private
        app.notify("Someone else changed a field")
        await pilot.pause()
        assert "Someone else" not in app.export_screenshot()
        await pilot.press("ctrl+backslash")
        assert not app.private
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "nalox"


async def test_turning_the_page_as_a_search_hit_opens_lands_on_the_next_section(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        last_section = app.guide.sections[-1]
        hit = max(
            (hit for hit in app.guide.search("naloxone") if hit.section is not last_section),
            key=lambda hit: hit.block_index,
        )
        # Both happen before the hit's section is drawn and scrolled to its place.
        await app.main_screen.open_guide(hit.section.id, hit.block_index, (hit.start, hit.end))
        await app.main_screen.guide_pane.action_next_section()
        await pilot.pause(0.3)
        following = app.guide.sections[app.guide.index_of(hit.section.id) + 1]
        assert app.main_screen.guide_pane.current is following
        assert app.main_screen.guide_pane.reader.text.section is following
        assert app.main_screen.guide_pane.reader.scroll_y == 0


async def test_clicking_a_tab_shows_its_part(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.click("#tabs", offset=(15, 0))  # on "F3 Plan"
        await pilot.pause()
        assert app.main_screen.current_pane == "plan"
        await pilot.click("#tabs", offset=(26, 0))  # on "F4 Rehearse"
        await pilot.pause()
        assert app.main_screen.current_pane == "rehearse"
        await pilot.click("#tabs", offset=(50, 0))  # beside the tabs: nothing happens
        await pilot.pause()
        assert app.main_screen.current_pane == "rehearse"
        await pilot.click("#tabs", offset=(3, 0))
        await pilot.pause()
        assert app.main_screen.current_pane == "guide"


async def test_letters_typed_straight_after_slash_land_in_the_search_box(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ["slash", *"dose"]:  # in one burst, as over a slow link
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await pilot.pause(0.3)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "dose"


async def test_the_key_bar_shows_the_keys_where_the_focus_is_and_a_click_presses_one(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        key_bar = app.screen.query_one(KeyBar)
        await pilot.press("f3")
        await until(pilot, lambda: ("a", "Add") in shown_keys(key_bar), "the plan's keys")
        assert not key_bar.children  # one line of text, not a widget for each key
        await pilot.press("f2")
        await until(pilot, lambda: ("a", "Add") not in shown_keys(key_bar), "the guide's keys")
        line = str(key_bar.render())
        await pilot.click(KeyBar, offset=(line.index("F3 Plan") + 1, 0))
        await until(pilot, lambda: ("a", "Add") in shown_keys(key_bar), "the plan, clicked")
        assert app.screen.query_one("#work").current == "plan"


def shown_keys(key_bar: KeyBar) -> list[tuple[str, str]]:
    return [(key.display, key.description) for key in key_bar.keys]


async def test_a_part_put_out_of_sight_lets_go_of_its_drawn_lines(make_app, tmp_path):
    # Textual keeps each container's lines as last drawn, cut at every edge of the widgets
    # in front of it; the main screen has a part it hides let go of them.
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f3")
        await pilot.pause()
        plan = app.main_screen.plan_pane
        containers = [
            widget for widget in plan.walk_children(with_self=True) if widget.is_container
        ]
        assert sum(drawn_lines(widget) for widget in containers) > 0
        await pilot.press("f4")
        await pilot.pause()
        assert sum(drawn_lines(widget) for widget in containers) == 0
