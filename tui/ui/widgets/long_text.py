"""The multi-line text box of long fields (a statement, notes).

Its own module because Textual's TextArea is large (about a megabyte once imported) and only
a form with a long field needs it: the guide, Rehearse and most of the plan never do.
"""

from textual import events
from textual.widgets import TextArea

from tui.core.safe_text import strip_controls


class PlainTextArea(TextArea):
    """A multi-line text box; a paste keeps its lines, without control characters. Its text is
    also its `value`, as for the other fields."""

    def on_paste(self, event: events.Paste) -> None:
        event.text = strip_controls(event.text, multiline=True)

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
