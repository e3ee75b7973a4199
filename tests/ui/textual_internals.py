"""Every place the UI tests reach into Textual's private parts, in one module.

Some checks need what Textual does not offer publicly: the screen as it is composited, a
key or a click delivered as the terminal driver delivers it, the rows an option takes in a
list, the lines a widget keeps drawn. Each is one function here, named for what it gives.
test_textual_internals.py tries each on a small app, so a Textual release that changes one
of them fails there, by name, before it breaks the tests that use it.
"""

from textual.app import App
from textual.command import CommandPalette
from textual.events import Event
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList


async def wait_for_messages(pilot) -> None:
    """Wait until every message sent so far, and those they sent in turn, is handled: like
    pilot.pause(), without waiting for the machine to be idle."""
    await pilot._wait_for_screen()


def send_as_the_driver(app: App, event: Event) -> None:
    """Deliver an event (a key, a paste) the way the terminal driver delivers one."""
    event.set_sender(app)
    app._driver.send_message(event)


def forward_as_the_driver(screen: Screen, event: Event) -> None:
    """Deliver a mouse event to the widget under it, as the app does with the driver's."""
    screen._forward_event(event)


def lay_out_now(screen: Screen) -> None:
    """Lay the screen out at once, as its next frame would."""
    screen._on_timer_update()


def composited_lines(screen: Screen) -> list[Strip]:
    """The screen as it is composited now: one strip a line, every widget in its place."""
    return screen._compositor.render_strips()


def clip_region(screen: Screen, widget: Widget) -> Region:
    """The part of the screen the widget can be seen in: what its containers show. Raises
    textual.errors.NoWidget if it is not on the screen."""
    return screen._compositor.find_widget(widget).clip


def option_rows(option_list: OptionList, index: int) -> list[int]:
    """The rows (counted from the top of the list's content) that an option takes."""
    return [row for row, (option, _) in enumerate(option_list._lines) if option == index]


def palette_is_searching(app: App, palette: CommandPalette) -> bool:
    """Whether the command palette is still gathering hits for what was typed."""
    return any(
        worker.group == palette._GATHER_COMMANDS_GROUP and not worker.is_finished
        for worker in app.workers
    )


def drawn_lines(widget: Widget) -> int:
    """How many of its lines, as last drawn, the widget keeps to draw again."""
    return len(widget._styles_cache._cache)
