"""The floor: the smallest Textual app like Kindred (a Static and a Footer), run the same way.

Keys: x does nothing, s swaps the text for a screen of another text (the floor for keys
that redraw the screen), t starts a clock that changes once a second (the floor for bytes
written while a timer runs), ctrl+q quits.
"""

import textwrap
import time
from functools import cache
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Digits, Footer, Static

READY_TEXT = "Floor app ready"
GUIDE = Path(__file__).resolve().parent.parent / "content"
SWAPPED_SECTIONS = ("01-introduction.md", "02-staying-safe.md")
SCREEN_LINES = 18  # with the clock's three lines and the footer, the text fills the screen


def section_body(name: str) -> str:
    """A guide section's Markdown, without its front matter."""
    return (GUIDE / name).read_text(encoding="utf-8").split("---", 2)[2].strip()


@cache
def screens_of_text() -> tuple[Content, ...]:
    """The start of each swapped section as plain lines, as many as fill the screen. Made
    on the first press, which the bench does not time."""
    return tuple(
        Content("\n".join(textwrap.wrap(section_body(name), 78)[:SCREEN_LINES]))
        for name in SWAPPED_SECTIONS
    )


class FloorApp(App[None]):
    BINDINGS = [
        Binding("x", "nothing", "Nothing"),
        Binding("s", "swap", "Swap"),
        Binding("t", "start_clock", "Clock"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT, id="ready")
        yield Digits("", id="clock")
        yield Footer()

    def action_nothing(self) -> None:
        pass

    swaps = 0

    def action_swap(self) -> None:
        self.swaps += 1
        self.query_one("#ready", Static).update(screens_of_text()[self.swaps % 2])

    def action_start_clock(self) -> None:
        self._started = time.monotonic()
        self._tick()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        self.query_one("#clock", Digits).update(f"{seconds // 60}:{seconds % 60:02}")


if __name__ == "__main__":
    FloorApp().run()
