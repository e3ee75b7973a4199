"""The reader: one guide section, shown literally, scrollable from the keyboard."""

from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from tui.guide import Block, Section


def _span_style(bold: bool, italic: bool, code: bool) -> str:
    parts = [name for name, on in (("bold", bold), ("italic", italic)) if on]
    if code:
        parts.append("$text-accent")
    return " ".join(parts)


def block_content(block: Block, highlight: tuple[int, int] | None = None) -> Content:
    content = Content.assemble(
        *((span.text, _span_style(span.bold, span.italic, span.code)) for span in block.spans)
    )
    if highlight:
        content = content.stylize("reverse", *highlight)
    return content


def block_widget(block: Block, highlight: tuple[int, int] | None = None) -> Widget:
    content = block_content(block, highlight)
    if block.kind == "item":
        return Horizontal(
            Static(block.marker, classes="marker"),
            Static(content, classes="item-text"),
            classes=f"block item depth-{min(block.level, 3)}",
        )
    if block.kind == "rule":
        return Static("─" * 20, classes="block rule")
    level = f" h{block.level}" if block.kind == "heading" else ""
    return Static(content, classes=f"block {block.kind}{level}")


class GuideReader(VerticalScroll, can_focus=True):
    """Shows one section; remembers where the reader was in each section."""

    BINDINGS = [
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "scroll_home", "Top of the section", show=False),
        Binding("end", "scroll_end", "End of the section", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self._positions: dict[str, float] = {}

    async def show(
        self,
        section: Section,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        """Show a section at its remembered place, or at a block (a search hit, a heading)."""
        if self.section is not None:
            self._positions[self.section.id] = self.scroll_y
        self.section = section
        widgets: list[Widget] = [Static(Content(section.title), classes="block title")]
        for index, block in enumerate(section.blocks):
            widgets.append(block_widget(block, highlight if index == block_index else None))
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(widgets)
        if block_index is None:
            self.scroll_to(y=self._positions.get(section.id, 0), animate=False, immediate=True)
        elif block_index == 0:
            self.scroll_home(animate=False, immediate=True)
        else:
            target = self.children[block_index + 1]
            self.call_after_refresh(
                self.scroll_to_widget, target, animate=False, top=True, immediate=True
            )
