"""The multi-line text box of long fields (a statement, notes).

Its own module because Textual's TextArea is large (about a megabyte once imported) and only
a form with a long field needs it: the guide, Rehearse and most of the plan never do.
"""

from textual import events
from textual.widgets import TextArea

from tui.core.safe_text import strip_controls
from tui.ui.widgets.fields import KeysInTurn, fit_paste


class PlainTextArea(KeysInTurn, TextArea):
    """A multi-line text box; a paste keeps its lines, without control characters, and is cut
    to the room left under max_length (0: no limit). Its text is also its `value`, as for the
    other fields."""

    def __init__(self, text: str = "", *, max_length: int = 0, **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.max_length = max_length

    def on_paste(self, event: events.Paste) -> None:
        text = strip_controls(event.text, multiline=True)
        if self.max_length:
            length_kept = len(self.text) - len(self.selected_text)
            text = fit_paste(self, text, length_kept, self.max_length)
        event.text = text

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
