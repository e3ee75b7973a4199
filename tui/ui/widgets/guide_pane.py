"""The Guide pane: a table of contents beside the section being read."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.guide import Guide, Section
from tui.ui.widgets.reader import GuideReader

HINT = "↑↓ choose · enter read\ntab switch · [ ] turn page\n/ search · F1 all keys"


class TableOfContents(OptionList):
    BINDINGS = [
        Binding("down", "cursor_down", "Next section", show=False),
        Binding("up", "cursor_up", "Previous section", show=False),
        Binding("home", "first", "First section", show=False),
        Binding("end", "last", "Last section", show=False),
        Binding("enter", "select", "Read the section", show=False),
    ]


class GuidePane(Horizontal):
    BINDINGS = [
        Binding("right_square_bracket", "next_section", "Next section", show=False),
        Binding("left_square_bracket", "previous_section", "Previous section", show=False),
    ]

    def __init__(self, guide: Guide, **kwargs) -> None:
        super().__init__(**kwargs)
        self.guide = guide

    def compose(self) -> ComposeResult:
        options = [Option(Content(section.title), id=section.id) for section in self.guide.sections]
        with Vertical(id="toc-column"):
            yield TableOfContents(*options, id="toc", markup=False)
            yield Static(Content(HINT), id="guide-hint")
        yield GuideReader(id="reader")

    @property
    def reader(self) -> GuideReader:
        return self.query_one(GuideReader)

    @property
    def current(self) -> Section | None:
        return self.reader.section

    async def on_mount(self) -> None:
        await self.open(self.guide.sections[0].id)

    async def use_guide(self, guide: Guide) -> None:
        """Show the guide filled in for another country, at the same place in it."""
        self.guide = guide
        if self.current is not None:
            await self.open(self.current.id)

    async def open(
        self,
        section_id: str,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        """Show a section; a block index scrolls to that place (a hit or a heading)."""
        section = self.guide[section_id]
        toc = self.query_one("#toc", OptionList)
        index = self.guide.index_of(section_id)
        if toc.highlighted != index:
            with toc.prevent(OptionList.OptionHighlighted):
                toc.highlighted = index
        await self.reader.show(section, block_index, highlight)

    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and (self.current is None or event.option_id != self.current.id):
            await self.open(event.option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.screen.set_focus(self.reader)

    async def action_next_section(self) -> None:
        await self._step(+1)

    async def action_previous_section(self) -> None:
        await self._step(-1)

    async def _step(self, offset: int) -> None:
        if self.current is None:
            return
        index = self.guide.index_of(self.current.id) + offset
        if 0 <= index < len(self.guide.sections):
            await self.open(self.guide.sections[index].id)
