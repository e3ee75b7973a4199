"""The floor: the smallest Textual app like Kindred (a Static and a Footer), run the same way.

Keys: x does nothing (the floor for key response), t starts a clock that changes once a
second (the floor for bytes written while a timer runs), ctrl+q quits.
"""

import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Digits, Footer, Static

READY_TEXT = "Floor app ready"


class FloorApp(App[None]):
    BINDINGS = [
        Binding("x", "nothing", "Nothing"),
        Binding("t", "start_clock", "Clock"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT, id="ready")
        yield Digits("", id="clock")
        yield Footer()

    def action_nothing(self) -> None:
        pass

    def action_start_clock(self) -> None:
        self._started = time.monotonic()
        self._tick()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        self.query_one("#clock", Digits).update(f"{seconds // 60}:{seconds % 60:02}")


if __name__ == "__main__":
    FloorApp().run()
