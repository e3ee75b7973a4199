from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static


class PrivacyScreen(Screen[None]):
    """Covers everything at once with a neutral screen; the same key brings the app back."""

    BINDINGS = [
        Binding("f12", "app.privacy", "Back", show=False, priority=True),
        Binding("ctrl+backslash", "app.privacy", "Back", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Session paused. Press F12 to resume.", id="privacy-text")
