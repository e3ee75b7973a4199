"""The reader: one guide section, shown literally, scrollable from the keyboard.

A section is one widget whose lines are laid out here for the width it gets: far fewer
widgets than one per paragraph, so a section appears and turns quickly, and list items
keep their hanging indent.
"""

from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from tui.core.guide import Block, Section

MARKER_WIDTH = 3
DEPTH_INDENT = 3
QUOTE_BAR = "▌ "
RULE = "─" * 20
ACCENT = "bold $accent"


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


def _block_lines(block: Block, width: int, highlight: tuple[int, int] | None) -> list[Content]:
    content = block_content(block, highlight)
    if block.kind == "heading":
        style = "bold $text" if block.level >= 3 else ACCENT
        return content.stylize_before(style).wrap(width)
    if block.kind == "item":
        indent = DEPTH_INDENT * (min(block.level, 3) - 1)
        text_width = max(1, width - indent - MARKER_WIDTH)
        marker = Content.styled(block.marker.ljust(MARKER_WIDTH), "$accent")
        blank = Content(" " * MARKER_WIDTH)
        return [
            Content(" " * indent) + (marker if number == 0 else blank) + line
            for number, line in enumerate(content.wrap(text_width))
        ]
    if block.kind == "quote":
        bar = Content.styled(QUOTE_BAR, "$accent-muted")
        return [bar + line for line in content.wrap(max(1, width - len(QUOTE_BAR)))]
    if block.kind == "code":
        return [
            line.extend_right(width - line.cell_length).stylize_before("on $surface")
            for line in content.wrap(width)
        ]
    if block.kind == "rule":
        return [Content(RULE[:width])]
    return content.wrap(width)


@dataclass(frozen=True)
class SectionLayout:
    lines: list[Content]
    block_lines: list[int]  # the first line of each block


def lay_out(
    section: Section, width: int, highlight: tuple[int, tuple[int, int]] | None = None
) -> SectionLayout:
    """The lines of a section at this width; a highlight is (block index, (start, end))."""
    width = max(1, width)
    lines = Content.styled(section.title, ACCENT).wrap(width)
    lines.append(Content.styled("━" * width, "$accent-muted"))
    block_lines = []
    previous_kind = ""
    for index, block in enumerate(section.blocks):
        if not previous_kind == block.kind == "item":  # a blank line, but not inside a list
            lines.append(Content(""))
        block_lines.append(len(lines))
        span = highlight[1] if highlight and highlight[0] == index else None
        lines.extend(_block_lines(block, width, span))
        previous_kind = block.kind
    return SectionLayout(lines, block_lines)


class SectionText(Widget):
    """A whole section, laid out again whenever its width or its section changes."""

    def __init__(self, section: Section, highlight: tuple[int, tuple[int, int]] | None = None):
        super().__init__()
        self.show(section, highlight)

    def show(self, section: Section, highlight: tuple[int, tuple[int, int]] | None) -> None:
        self.section = section
        self.highlight = highlight
        self._layout: tuple[int, SectionLayout] | None = None
        self._strips: dict[tuple[int, int], Strip] = {}
        self.refresh(layout=True)

    def layout_for(self, width: int) -> SectionLayout:
        if self._layout is None or self._layout[0] != width:
            self._layout = (width, lay_out(self.section, width, self.highlight))
        return self._layout[1]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.layout_for(width).lines)

    def render(self) -> Content:
        """The whole section: what Textual draws while text is selected, and copies from."""
        return Content("\n").join(self.layout_for(self.content_region.width).lines)

    def render_line(self, y: int) -> Strip:
        """One line, drawn only when it is on screen: a long section turns as fast as a short
        one. While text is selected, Textual draws the whole section with the selection."""
        if self.text_selection is not None:
            return super().render_line(y)
        width = self.content_region.width
        lines = self.layout_for(width).lines
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        strip = self._strips.get((width, y))
        if strip is None:
            strip = Visual.to_strips(self, lines[y], width, 1, self.visual_style)[0]
            self._strips[(width, y)] = strip
        return strip

    def line_of_block(self, block_index: int) -> int:
        return self.layout_for(self.content_region.width).block_lines[block_index]


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
        self._positions: dict[str, float] = {}

    @property
    def text(self) -> SectionText:
        return self.query_one(SectionText)

    @property
    def section(self) -> Section | None:
        return self.text.section if self.children else None

    async def show(
        self,
        section: Section,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        """Show a section at its remembered place, or at a block (a search hit, a heading)."""
        if self.section is not None:
            self._positions[self.section.id] = self.scroll_y
        marked = (block_index, highlight) if block_index is not None and highlight else None
        if self.children:
            self.text.show(section, marked)  # no new widget: the next frame shows the section
        else:
            await self.mount(SectionText(section, marked))
        self.scroll_home(animate=False, immediate=True)
        if block_index or (block_index is None and self._positions.get(section.id)):
            self.call_after_refresh(self._scroll_to_place, section, block_index)

    def _scroll_to_place(self, section: Section, block_index: int | None) -> None:
        """Once the section is laid out for its width: scroll to the block, or else to where
        the reader last was in it (unless another section is shown by now)."""
        if self.section is not section:
            return
        if block_index is None:
            y = self._positions.get(section.id, 0)
        else:
            y = self.text.line_of_block(block_index)
        self.scroll_to(y=y, animate=False, immediate=True)
