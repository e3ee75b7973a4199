"""A reference for typing: Textual's own TextArea, as Kindred's statement box is one, with a
line under it counting the words again at every change, as Kindred's summary of the
statement does. Every key types into it; ctrl+q quits. Its own module, so that the floor
app does not import the TextArea."""

from floor_app import READY_TEXT
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static, TextArea


class TextAreaFloorApp(App[None]):
    CSS = "TextArea { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield TextArea(READY_TEXT, soft_wrap=True)
        yield Static(id="words")
        yield Footer()

    def on_mount(self) -> None:
        text_area = self.query_one(TextArea)
        text_area.cursor_blink = False  # as Kindred's: a blinking cursor writes all the time
        text_area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#words", Static).update(f"{len(event.text_area.text.split())} words")


if __name__ == "__main__":
    TextAreaFloorApp().run()
