"""When the plan file cannot be read: say what is wrong and let the user choose."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class DataProblemScreen(ModalScreen[str]):
    """Dismissed with "read-only", "fresh" or "guide" (just read the guide)."""

    BINDINGS = [Binding("escape", "dismiss('guide')", "Just read the guide", id="problem.close")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box"):
            yield Static("The plan could not be opened", id="problem-title")
            yield Static(Content(self.message), id="problem-message")
            yield Static(
                "Nothing has been changed or lost. You can look at the plan read-only (from the "
                "newest backup that can be read), or start a fresh plan: the file above is then "
                "kept under a new name, beside it.",
                id="problem-choices",
            )
            with Horizontal(id="problem-buttons"):
                yield Button("Open read-only", variant="primary", id="read-only")
                yield Button("Start a fresh plan", id="fresh")
                yield Button("Just read the guide", id="guide")

    def on_mount(self) -> None:
        self.query_one("#read-only", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)
