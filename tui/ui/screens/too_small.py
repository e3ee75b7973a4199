from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 15
NOTICE = (
    "The terminal is too small for Kindred.\n"
    f"Make it at least {MIN_WIDTH}x{MIN_HEIGHT}.\nYour plan is kept as it is."
)
KEYS_REFUSED = "\n\nKeys typed now are not used:\ntype them again once the terminal is bigger."


class TooSmallScreen(Screen[None]):
    """Stands in while the terminal is too small; the app returns when it grows. A key
    typed meanwhile is refused with a bell and a line saying so, never passed on unseen."""

    def compose(self) -> ComposeResult:
        yield Static(NOTICE, id="too-small")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.app.bell()
        self.query_one("#too-small", Static).update(NOTICE + KEYS_REFUSED)
