from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, Static

from tui.ui.screens.dialog import Dialog


class UnsavedScreen(Dialog[str | None]):
    """Quitting while some changes could not be saved: try again, copy them to a private file
    beside the plan, or quit anyway."""

    BINDINGS = [
        Binding("t", "dismiss('retry')", "Try to save again", id="unsaved.retry"),
        Binding("c", "dismiss('copy')", "Copy the changes to a private file", id="unsaved.copy"),
        Binding("q", "dismiss('quit')", "Quit without them", id="unsaved.quit"),
        Binding("escape", "dismiss(None)", "Go back to Kindred", id="unsaved.back"),
    ]
    FOCUSED_BUTTON = "retry"

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def body(self) -> ComposeResult:
        yield Static(
            Content(
                f"Some changes are not saved yet. {self.problem}\n\nTry again, copy them to a "
                "file beside the plan that only you can read, or quit without them?"
            ),
            id="confirm-question",
        )

    def buttons(self) -> ComposeResult:
        yield Button("Try again (t)", variant="primary", id="retry")
        yield Button("Copy them (c)", id="copy")
        yield Button("Quit (q)", variant="error", id="quit")

    def answer(self, button_id: str) -> str | None:
        return button_id
