"""The box every question is asked in: what the user needs to know, then a row of buttons."""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button


class Dialog(ModalScreen[ScreenResultType]):
    """A dialog gives what goes above the buttons (`body`), its `buttons`, the button that has
    the focus when it opens, and its keys (BINDINGS). A pressed button dismisses the dialog
    with its `answer`: by default the button's id."""

    FOCUSED_BUTTON = ""  # the id of the button that has the focus when the dialog opens

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def buttons(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield from self.body()
            with Horizontal(id="dialog-buttons"):
                yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one(f"#{self.FOCUSED_BUTTON}", Button).focus()

    def answer(self, button_id: str) -> ScreenResultType:
        return button_id

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.answer(event.button.id))
