"""Each reach into Textual's private parts (textual_internals) still gives what the tests
rely on: should a Textual release change one, it fails here, by name."""

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.errors import NoWidget
from textual.message import Message
from textual.widgets import OptionList, Static
from textual_internals import (
    clip_region,
    composited_lines,
    drawn_lines,
    forward_as_the_driver,
    lay_out_now,
    option_rows,
    palette_is_searching,
    send_as_the_driver,
    wait_for_messages,
)


class Probe(App[None]):
    CSS = "#text { height: 1; } #options { height: 6; border: none; }"
    BINDINGS = [Binding("x", "count", "Count", priority=True)]

    class Later(Message):
        """Handled after whatever is already waiting in the app's queue."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Content("hello there"), id="text")
        yield OptionList(Content("one\ntwo lines"), Content("three"), id="options")

    def action_count(self) -> None:
        self.events.append("x")

    def on_probe_later(self) -> None:
        self.events.append("later")

    def on_click(self, event: events.Click) -> None:
        self.events.append(f"click {event.widget.id}")


async def test_waiting_for_messages_sees_them_handled():
    app = Probe()
    async with app.run_test(size=(30, 8)) as pilot:
        app.post_message(Probe.Later())
        await wait_for_messages(pilot)
        assert app.events == ["later"]


async def test_a_key_sent_as_the_driver_sends_it_reaches_the_bindings():
    app = Probe()
    async with app.run_test(size=(30, 8)) as pilot:
        send_as_the_driver(app, events.Key("x", "x"))
        await wait_for_messages(pilot)
        assert app.events == ["x"]


async def test_a_click_forwarded_as_the_driver_does_reaches_the_widget_under_it():
    app = Probe()
    async with app.run_test(size=(30, 8)) as pilot:
        widget, _ = app.get_widget_at(2, 0)
        forward_as_the_driver(
            app.screen,
            events.Click(
                widget=widget,
                x=2,
                y=0,
                delta_x=0,
                delta_y=0,
                button=1,
                shift=False,
                meta=False,
                ctrl=False,
                screen_x=2,
                screen_y=0,
                chain=1,
            ),
        )
        await wait_for_messages(pilot)
        assert app.events == ["click text"]


async def test_the_composited_screen_is_one_strip_a_line_with_every_widget_in_place():
    app = Probe()
    async with app.run_test(size=(30, 8)):
        lay_out_now(app.screen)
        lines = composited_lines(app.screen)
        assert len(lines) == 8
        assert all(line.cell_length == 30 for line in lines)
        assert lines[0].text.startswith("hello there")
        assert lines[1].text.strip() == "one"


async def test_a_widget_is_seen_in_the_part_of_the_screen_its_container_shows():
    app = Probe()
    async with app.run_test(size=(30, 8)) as pilot:
        options = app.query_one("#options")
        assert clip_region(app.screen, options) == app.screen.region
        options.display = False
        await pilot.pause()
        with pytest.raises(NoWidget):
            clip_region(app.screen, options)


async def test_each_option_has_its_rows():
    app = Probe()
    async with app.run_test(size=(30, 8)):
        options = app.query_one("#options", OptionList)
        assert option_rows(options, 0) == [0, 1]
        assert option_rows(options, 1) == [2]


async def test_the_palette_says_when_it_has_finished_searching():
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+p", *"quit")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await app.workers.wait_for_complete()
        assert not palette_is_searching(app, palette)
        assert any("Quit" in str(option.prompt) for option in palette.query_one(OptionList).options)


async def test_a_widget_keeps_its_drawn_lines_until_refreshed():
    app = Probe()
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        options = app.query_one("#options")
        assert drawn_lines(options) > 0
        options.display = False
        options.refresh()
        await pilot.pause()
        assert drawn_lines(options) == 0
