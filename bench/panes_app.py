"""A reference for the guide and the panes: what Textual's own widgets take to do what
Kindred does, in a bare app. A list of the guide's sections beside the text of one (an
OptionList and a Static in a VerticalScroll); ] shows the next section and highlights it
in the list, [ the one before. p switches, in a ContentSwitcher, between that and a form
like the plan's: a list of records beside a heading, eight labelled text boxes and a text
area. ctrl+q quits. Its own module, so that the floor app imports none of these widgets."""

import textwrap

from floor_app import GUIDE, READY_TEXT, section_body
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Footer, Input, Label, OptionList, Static, TextArea

SECTIONS = sorted(GUIDE.glob("*.md"))
FORM_FIELDS = 8


def section_text(number: int) -> Content:
    body = section_body(SECTIONS[number].name)
    return Content("\n\n".join(textwrap.fill(part, 50) for part in body.split("\n\n")))


class PanesFloorApp(App[None]):
    CSS = """
    OptionList { width: 28; }
    TextArea { height: 6; }
    """
    BINDINGS = [
        Binding("right_square_bracket", "turn(1)", "Next"),
        Binding("left_square_bracket", "turn(-1)", "Previous"),
        Binding("p", "switch", "Switch"),
    ]

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="guide"):
            with Horizontal(id="guide"):
                yield OptionList(*(path.stem for path in SECTIONS), id="contents")
                with VerticalScroll():
                    yield Static(READY_TEXT, id="text")
            with Horizontal(id="plan"):
                yield OptionList(*(f"Record {n}" for n in range(1, 13)), id="records")
                with VerticalScroll():
                    yield Label("A record")
                    for n in range(1, FORM_FIELDS + 1):
                        yield Label(f"Field {n}")
                        yield Input(f"value {n}")
                    yield TextArea("A statement.")
        yield Footer()

    def action_turn(self, step: int) -> None:
        contents = self.query_one("#contents", OptionList)
        shown = max(0, min(len(SECTIONS) - 1, (contents.highlighted or 0) + step))
        contents.highlighted = shown
        self.query_one("#text", Static).update(section_text(shown))

    def action_switch(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "plan" if switcher.current == "guide" else "guide"


if __name__ == "__main__":
    PanesFloorApp().run()
