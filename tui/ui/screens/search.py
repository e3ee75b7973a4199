"""Search every guide section; pick a hit to read it where it occurs."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.guide import Guide, Hit, section_hit
from tui.core.search import SOURCES_HEADING
from tui.ui.widgets.fields import PlainInput

OUTLINE_WIDTH = 64  # fits the results at 80 columns


def hit_content(hit: Hit) -> Content:
    """Where a hit is, then the words around it; for a section's title, the title, then
    what the section covers."""
    snippet = Content(hit.snippet).stylize("reverse", hit.snippet_start, hit.snippet_end)
    if not hit.in_title:
        return Content.assemble(Content.styled(hit.context, "bold"), "\n", snippet)
    outline = " · ".join(
        heading.text
        for heading in hit.section.headings
        if heading.level == 2 and heading.text != SOURCES_HEADING
    )
    outline_line = Content.styled(outline, "$text-muted").truncate(OUTLINE_WIDTH, ellipsis=True)
    return Content.assemble(snippet.stylize_before("bold"), "\n", outline_line)


class SearchScreen(ModalScreen[Hit | None]):
    """Type to search; up and down choose a hit; enter opens it; escape closes. When
    nothing is found, the closest sections are offered instead. Searches the guide as
    shown: opened before the plan, it searches again once the guide is filled in for the
    plan's country."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="search.close"),
        Binding("down", "move(1)", "Next hit", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous hit", show=False, id="search.up"),
    ]

    def __init__(self, guide: Guide, query: str = "") -> None:
        super().__init__()
        self.guide = guide
        self.hits: list[Hit] = []
        self.choices: list[Hit] = []  # the hits, or else the closest sections
        self.initial_query = query

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield PlainInput(
                self.initial_query,
                placeholder="Search the guide, e.g. naloxone",
                id="search-input",
            )
            yield Static("", id="search-status")
            yield OptionList(id="search-hits", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        self._search(self.initial_query)
        self.app.guide_changed.subscribe(self, self._use_guide)

    def _use_guide(self, guide: Guide) -> None:
        self.guide = guide
        hits_list = self.query_one("#search-hits", OptionList)
        highlighted = hits_list.highlighted
        self._search(self.query_one(Input).value)
        if highlighted is not None and self.choices:
            hits_list.highlighted = min(highlighted, len(self.choices) - 1)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        self.hits = self.guide.search(query)
        closest = self.guide.closest_sections(query) if query.strip() and not self.hits else []
        self.choices = self.hits or [section_hit(section) for section in closest]
        hits_list = self.query_one("#search-hits", OptionList)
        hits_list.set_options(Option(hit_content(hit)) for hit in self.choices)
        if self.choices:
            hits_list.highlighted = 0
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update("Type a word or a phrase. Enter opens the chosen hit.")
        elif closest:
            status.update("Nothing found. Closest sections: up and down choose, enter opens.")
        elif not self.hits:
            status.update(Content(f"Nothing found for “{query.strip()}”. Try another word."))
        else:
            count = f"{len(self.hits)} hit{'s' if len(self.hits) != 1 else ''}"
            status.update(f"{count}. Up and down choose, enter opens.")

    def action_move(self, step: int) -> None:
        hits_list = self.query_one("#search-hits", OptionList)
        if self.choices:
            current = hits_list.highlighted or 0
            hits_list.highlighted = max(0, min(len(self.choices) - 1, current + step))

    def on_input_submitted(self) -> None:
        highlighted = self.query_one("#search-hits", OptionList).highlighted
        if highlighted is not None and self.choices:
            self.dismiss(self.choices[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])
