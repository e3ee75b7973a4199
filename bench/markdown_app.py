"""A reference for the guide: two of its sections in Textual's own Markdown widget.

Keys: s shows the other section, ctrl+q quits. Its own module, so that the floor app does not
import the Markdown widget.
"""

from floor_app import READY_TEXT, SWAPPED_SECTIONS, section_body
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown


class MarkdownFloorApp(App[None]):
    """Two guide sections in Textual's Markdown widget; s shows the other one."""

    BINDINGS = [Binding("s", "swap", "Swap")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(READY_TEXT)
        yield Footer()

    swaps = 0

    async def action_swap(self) -> None:
        self.swaps += 1
        name = SWAPPED_SECTIONS[self.swaps % 2]
        await self.query_one(Markdown).update(section_body(name))


if __name__ == "__main__":
    MarkdownFloorApp().run()
