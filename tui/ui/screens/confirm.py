from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, Static

from tui.ui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    """Asks before something that cannot be undone; escape or n says no."""

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel", id="confirm.cancel"),
        Binding("n", "dismiss(False)", "No", show=False, id="confirm.no"),
        Binding("y", "dismiss(True)", "Yes", show=False, id="confirm.yes"),
    ]
    FOCUSED_BUTTON = "no"

    def __init__(self, question: str, yes_label: str = "Yes, delete") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label

    def body(self) -> ComposeResult:
        yield Static(Content(self.question), id="confirm-question")

    def buttons(self) -> ComposeResult:
        yield Button(f"{self.yes_label} (y)", variant="error", id="yes")
        yield Button("No, keep it (n)", variant="primary", id="no")

    def answer(self, button_id: str) -> bool:
        return button_id == "yes"
