"""When the plan file cannot be read: say what is wrong and let the user choose."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, Static

from tui.ui.screens.dialog import Dialog


class DataProblemScreen(Dialog[str]):
    """Dismissed with "read-only", "fresh" or "guide" (just read the guide)."""

    BINDINGS = [Binding("escape", "dismiss('guide')", "Just read the guide", id="problem.close")]
    FOCUSED_BUTTON = "read-only"

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def body(self) -> ComposeResult:
        yield Static("The plan could not be opened", id="problem-title")
        yield Static(Content(self.message), id="problem-message")
        yield Static(
            "Nothing has been changed or lost. You can look at the plan read-only (what can "
            "be read of it, or else of its newest backup), or start a fresh plan: the file "
            "above is then kept under a new name, beside it.",
            id="problem-choices",
        )

    def buttons(self) -> ComposeResult:
        yield Button("Open read-only", variant="primary", id="read-only")
        yield Button("Start a fresh plan", id="fresh")
        yield Button("Just read the guide", id="guide")
