from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 15


class TooSmallScreen(Screen[None]):
    """Stands in while the terminal is too small; the app returns when it grows."""

    def compose(self) -> ComposeResult:
        yield Static(
            f"The terminal is too small for Kindred.\n"
            f"Make it at least {MIN_WIDTH}x{MIN_HEIGHT}; nothing is lost.",
            id="too-small",
        )
