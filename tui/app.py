"""The Kindred app: the guide, the plan and rehearsal on one screen."""

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Footer, Tab, Tabs

from tui.commands import GuideSections
from tui.guide import Guide, Hit
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.widgets.guide_pane import GuidePane, TableOfContents
from tui.widgets.reader import GuideReader

SAFETY_SECTION = "staying-safe"


class KindredApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Kindred"
    COMMANDS = App.COMMANDS | {GuideSections}
    BINDINGS = [
        Binding("f1", "help", "Help", key_display="F1", priority=True, id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_question"),
        Binding("f2", "show_pane('guide')", "Guide", key_display="F2", id="app.guide"),
        Binding("g", "show_pane('guide')", "Guide", show=False, id="app.guide_letter"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("f5", "safety", "Safety", key_display="F5", priority=True, id="app.safety"),
        Binding("exclamation_mark", "safety", "Safety", show=False, id="app.safety_letter"),
        Binding("ctrl+p", "command_palette", "Find anything", show=False, id="app.palette"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def __init__(self, guide: Guide, data_path: Path | None = None) -> None:
        super().__init__()
        self.guide = guide
        self.data_path = data_path

    def compose(self) -> ComposeResult:
        yield Tabs(Tab("F2 Guide", id="guide"), id="tabs")
        with ContentSwitcher(initial="guide", id="panes"):
            yield GuidePane(self.guide, id="guide")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#toc").focus()
        self._check_size(self.size.width, self.size.height)

    @property
    def guide_pane(self) -> GuidePane:
        return self.query_one(GuidePane)

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        return [
            ("Everywhere", self.BINDINGS),
            ("Guide: table of contents", TableOfContents.BINDINGS),
            ("Guide: reading", GuideReader.BINDINGS + GuidePane.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
        ]

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    def action_show_pane(self, pane: str) -> None:
        self.query_one("#panes", ContentSwitcher).current = pane
        self.query_one(Tabs).active = pane

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self.query_one("#panes", ContentSwitcher).current = event.tab.id

    async def open_guide(
        self,
        section_id: str,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        self.action_show_pane("guide")
        await self.guide_pane.open(section_id, block_index, highlight)

    async def action_safety(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        await self.open_guide(SAFETY_SECTION, block_index=0)
        self.guide_pane.reader.focus()

    def action_search(self) -> None:
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.guide), self._open_hit)

    async def _open_hit(self, hit: Hit | None) -> None:
        if hit is not None:
            await self.open_guide(hit.section.id, hit.block_index, (hit.start, hit.end))
            self.guide_pane.reader.focus()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not too_small:
            self.pop_screen()
