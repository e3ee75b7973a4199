from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, Static

from tui.ui.screens.dialog import Dialog


class KeepOrDiscardScreen(Dialog[str | None]):
    """The timer is running: keep the attempt, discard it, or go back to it."""

    BINDINGS = [
        Binding("k", "dismiss('keep')", "Keep the attempt", id="attempt.keep"),
        Binding("d", "dismiss('discard')", "Discard the attempt", id="attempt.discard"),
        Binding("escape", "dismiss(None)", "Go back; the timer keeps running", id="attempt.back"),
    ]
    FOCUSED_BUTTON = "keep"

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def body(self) -> ComposeResult:
        yield Static(
            Content(f"The timer is running for {self.who}. Keep this attempt?"),
            id="confirm-question",
        )

    def buttons(self) -> ComposeResult:
        yield Button("Keep it (k)", variant="primary", id="keep")
        yield Button("Discard it (d)", variant="error", id="discard")
        yield Button("Back (esc)", id="back")

    def answer(self, button_id: str) -> str | None:
        return None if button_id == "back" else button_id
