from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class KeepOrDiscardScreen(ModalScreen[str | None]):
    """The timer is running: keep the attempt, discard it, or go back to it."""

    BINDINGS = [
        Binding("k", "dismiss('keep')", "Keep the attempt", id="attempt.keep"),
        Binding("d", "dismiss('discard')", "Discard the attempt", id="attempt.discard"),
        Binding("escape", "dismiss(None)", "Go back; the timer keeps running", id="attempt.back"),
    ]

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(
                Content(f"The timer is running for {self.who}. Keep this attempt?"),
                id="confirm-question",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep it (k)", variant="primary", id="keep")
                yield Button("Discard it (d)", variant="error", id="discard")
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)
