"""The Kindred app: the guide, the plan and rehearsal on one screen."""

import asyncio
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandInput
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from tui.core.guide import Guide, Hit
from tui.core.safe_text import shown_path, strip_controls
from tui.ui.commands import Actions, GuideSections, PlanPeople
from tui.ui.screens.privacy import PrivacyScreen
from tui.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.ui.widgets.guide_pane import GuidePane, TableOfContents
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.pane_tabs import PaneTabs
from tui.ui.widgets.reader import GuideReader

if TYPE_CHECKING:
    from tui.ui.widgets.plan_pane import PlanPane
    from tui.ui.widgets.rehearse_pane import RehearsePane

# The plan and Rehearse (and the storage behind them) are imported and built only once the
# guide is on screen, so that reading can start sooner: see KindredApp.start_work_panes.
# Search and help are imported when first opened.

SAFETY_SECTION = "staying-safe"
OUTSIDE_CHANGES_CHECK_SECONDS = 1.0
SIGNAL_GRACE_SECONDS = 0.1
HANGUP_EXIT_SECONDS = 3.0
WIDE_WIDTH = 120
PANE_FOCUS = {"guide": "#toc", "plan": "#plan-nav", "rehearse": "#rehearse-list"}


class KindredApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Kindred"
    COMMANDS = App.COMMANDS | {GuideSections, PlanPeople, Actions}
    BINDINGS = [
        Binding("f1", "help", "Help", key_display="F1", priority=True, id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_question"),
        Binding(
            "f2", "show_pane('guide')", "Guide", key_display="F2", priority=True, id="app.guide"
        ),
        Binding("g", "show_pane('guide')", "Guide", show=False, id="app.guide_letter"),
        Binding("f3", "show_pane('plan')", "Plan", key_display="F3", priority=True, id="app.plan"),
        Binding("p", "show_pane('plan')", "Plan", show=False, id="app.plan_letter"),
        Binding(
            "f4", "show_pane('rehearse')", "Rehearse", key_display="F4", priority=True,
            id="app.rehearse",
        ),
        Binding("r", "show_pane('rehearse')", "Rehearse", show=False, id="app.rehearse_letter"),
        Binding("slash", "search", "Search", priority=True, id="app.search"),
        Binding("f5", "safety", "Safety", key_display="F5", priority=True, id="app.safety"),
        Binding("exclamation_mark", "safety", "Safety", show=False, id="app.safety_letter"),
        Binding("ctrl+p", "command_palette", "Find anything", show=False, id="app.palette"),
        Binding("f12", "privacy", "Hide the screen", key_display="F12", priority=True,
                show=False, id="app.privacy"),
        Binding("ctrl+backslash", "privacy", "Hide the screen", priority=True, show=False,
                id="app.privacy_ctrl"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        # Moving the focus as soon as tab arrives keeps fast typing in the right field.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next"),
        Binding(
            "shift+tab", "focus_previous", "Previous field", show=False, priority=True,
            id="app.previous",
        ),
    ]

    def __init__(
        self,
        guide: Guide,
        data_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.current_pane = "guide"
        self.guide = guide
        self.data_path = data_path
        self.clock = clock
        self.wall_clock = wall_clock or (lambda: datetime.now(UTC))
        self.work_panes_ready = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield PaneTabs(id="tabs")
        with Horizontal(id="panes"):
            yield GuidePane(self.guide, id="guide")
            yield ContentSwitcher(id="work")
        yield Static("", id="timer-strip")
        yield KeyBar(show_command_palette=False, compact=True)

    async def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            loop.add_signal_handler(signal_number, self._stop_on_signal, signal_number)
        self.main_screen.query_one("#toc").focus()
        # Scheduled on the main screen before any notice goes on top of it: a notice taken
        # away again could take the scheduled call with it.
        self.call_after_refresh(self.start_work_panes)
        self._check_size(self.size.width, self.size.height)

    async def start_work_panes(self) -> None:
        """Build the plan and Rehearse, then open the plan file: done once the guide is painted.
        Keys for them that arrive sooner wait for this (see action_show_pane)."""
        from tui.ui.widgets.plan_pane import PlanPane
        from tui.ui.widgets.rehearse_pane import RehearsePane

        rehearse = RehearsePane(self.clock, self.wall_clock, id="rehearse")
        rehearse.display = False
        work = self.main_screen.query_one("#work", ContentSwitcher)
        await work.mount_all([PlanPane(id="plan"), rehearse])
        if self.return_code is not None:
            return  # quit before the plan was opened
        work.current = "plan"
        self.open_plan()
        self.set_interval(OUTSIDE_CHANGES_CHECK_SECONDS, self.plan_pane.check_outside_changes)
        self.work_panes_ready.set()
        self._arrange_panes()

    @property
    def main_screen(self) -> Screen:
        """The screen with the guide, plan and Rehearse, under any dialog on top of it."""
        return self.screen_stack[0]

    @property
    def plan_pane(self) -> "PlanPane":
        return self.main_screen.query_one("#work > #plan")

    @property
    def rehearse_pane(self) -> "RehearsePane":
        return self.main_screen.query_one("#work > #rehearse")

    def plan_changed(self) -> None:
        """The plan was edited here or elsewhere: keep Rehearse's list of speakers current,
        and the guide filled in for the plan's country."""
        if not self.rehearse_pane.timing:
            self.rehearse_pane.refresh_people()
        guide = self.guide.for_country(self.plan_country)
        if guide is not self.guide:
            self.guide = guide
            self.call_later(self.guide_pane.use_guide, guide)

    @property
    def plan_country(self) -> str | None:
        """The plan's country; while it has none, the locale's (None if that names none)."""
        from tui.core.countries import country_from_locale

        session = self.plan_pane.session
        return (session.plan.country if session else "") or country_from_locale(os.environ)

    def show_timer_strip(self, text: str) -> None:
        """A running timer stays in sight, in a strip, while another part is on screen."""
        strip = self.main_screen.query_one("#timer-strip", Static)
        strip.update(Content(text))
        strip.display = bool(text) and not self.rehearse_pane.display_on_screen

    def open_plan(self, read_only: bool = False) -> None:
        """Open the plan file; if it cannot be read, say why and offer the choices."""
        from tui.core.countries import country_from_locale
        from tui.core.permissions import check_data_file
        from tui.core.session import PlanSession
        from tui.core.store import Store, StoreError, UnreadableFile
        from tui.ui.screens.data_problem import DataProblemScreen
        from tui.ui.screens.permissions import PermissionsScreen

        path = self.plan_path
        exposed = [f for f in check_data_file(path) if f.severity != "ok"]
        if exposed:
            self.push_screen(PermissionsScreen(exposed), self._after_permissions)
        try:
            session = PlanSession(Store(path, read_only=read_only),
                                  default_country=country_from_locale(os.environ))
        except UnreadableFile as problem:
            self.plan_pane.attach(None, problem.message)
            self.push_screen(DataProblemScreen(problem.message), self._after_data_problem)
            return
        except StoreError as problem:
            self.plan_pane.attach(None, problem.message)
            return
        self.rehearse_pane.attach(session)
        self.plan_pane.attach(session)
        if not exposed:  # else once the user has chosen to go on
            self.ask_country_if_unset()

    def ask_country_if_unset(self) -> None:
        """Where neither the plan nor the locale names a country, ask which, unless
        something else is on the screen. A plan open read-only is not asked about."""
        from tui.ui.screens.country import CountryScreen

        session = self.plan_pane.session
        if session is None or session.read_only or session.plan.country:
            return
        if len(self.screen_stack) == 1:
            self.push_screen(CountryScreen(), self._after_country_question)

    def _after_country_question(self, country: str | None) -> None:
        if country is not None:
            self.plan_pane.choose_country(country)

    def _after_permissions(self, go_on: bool | None) -> None:
        if not go_on:
            self.save_and_exit()
        else:
            self.ask_country_if_unset()

    async def _after_data_problem(self, choice: str | None) -> None:
        from tui.core.store import Store, StoreError

        path = self.plan_path
        if choice == "read-only":
            self.open_plan(read_only=True)
        elif choice == "fresh":
            try:
                kept = Store.set_aside(path)
            except StoreError as problem:
                self.notify(Content(problem.message), severity="error", timeout=15)
                return
            self.notify(Content(f"The unreadable file is kept as {shown_path(kept)}."), timeout=15)
            self.open_plan()

    @property
    def guide_pane(self) -> GuidePane:
        return self.main_screen.query_one(GuidePane)

    @property
    def plan_path(self) -> Path:
        from tui.core.store import default_data_path

        return self.data_path or default_data_path()

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        from tui.ui.screens.country import CountryScreen
        from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
        from tui.ui.screens.permissions import PermissionsScreen
        from tui.ui.screens.search import SearchScreen
        from tui.ui.widgets.plan_pane import PlanNav
        from tui.ui.widgets.record_form import RecordForm
        from tui.ui.widgets.rehearse_pane import RehearsePane

        return [
            ("Everywhere", self.BINDINGS),
            ("Plan: the list of parts", PlanNav.BINDINGS),
            ("Plan: a form", RecordForm.BINDINGS),
            ("Guide: table of contents", TableOfContents.BINDINGS),
            ("Guide: reading", GuideReader.BINDINGS + GuidePane.BINDINGS),
            ("Rehearse", RehearsePane.BINDINGS),
            ("While the timer runs", KeepOrDiscardScreen.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            ("When the plan file is not private", PermissionsScreen.BINDINGS),
            ("Which country", CountryScreen.BINDINGS),
        ]

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    async def action_show_pane(self, pane: str) -> None:
        if pane != "guide":
            await self.work_panes_ready.wait()
        self.show_pane(pane)

    def show_pane(self, pane: str) -> None:
        if self.current_pane == pane:
            return
        left, self.current_pane = self.current_pane, pane
        if pane != "guide":
            self.main_screen.query_one("#work", ContentSwitcher).current = pane
        self._arrange_panes()
        self.main_screen.query_one(PaneTabs).current = pane
        self.main_screen.set_focus(self.main_screen.query_one(PANE_FOCUS[pane]))
        if not (left == "guide" and self.size.width >= WIDE_WIDTH):
            self._forget_drawn_lines(left)

    def _forget_drawn_lines(self, pane: str) -> None:
        """The containers of a pane just hidden, and those around the panes, let go of their
        drawn lines. Textual keeps each container's lines cut into pieces at every edge of
        the widgets in front of it, for each layout it was shown in: a few thousand small
        objects, about a megabyte. A container's lines are blank, so drawing them again
        costs next to nothing; the widgets with text keep theirs."""
        main = self.main_screen
        hidden = self.guide_pane if pane == "guide" else main.query_one(f"#work > #{pane}")
        for widget in [*hidden.walk_children(with_self=True), *main.query("#panes, #work")]:
            if widget.is_container:
                widget.refresh()

    async def open_guide(
        self,
        section_id: str,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        self.show_pane("guide")
        await self.guide_pane.open(section_id, block_index, highlight)

    def open_plan_item(self, option_id: str) -> None:
        """Show the plan with one of its items (e.g. "people:<id>") chosen."""
        self.show_pane("plan")
        self.plan_pane.rebuild_nav(option_id)

    def rehearse(self, person_id: str) -> None:
        self.show_pane("rehearse")
        self.rehearse_pane.choose(person_id)

    async def open_guide_at(self, section_id: str, heading_slug: str = "") -> None:
        """Open the guide on a section, at a heading when one is named."""
        if section_id not in self.guide:
            self.notify(Content(f"This guide has no section {section_id!r}."), severity="warning")
            return
        block_index = self.guide[section_id].block_for_heading(heading_slug) if heading_slug else 0
        await self.open_guide(section_id, block_index)
        self.main_screen.set_focus(self.guide_pane.reader)

    async def action_quit(self) -> None:
        self.save_and_exit()

    def save_and_exit(self) -> None:
        """Save whatever is on screen, then leave (quit key, SIGTERM, SIGHUP, SIGINT)."""
        if self.work_panes_ready.is_set():
            self.plan_pane.save_now()
        self.exit()

    def _stop_on_signal(self, signal_number: int) -> None:
        # A moment's grace lets keys already typed reach their fields before saving.
        self.set_timer(SIGNAL_GRACE_SECONDS, self.save_and_exit)
        if signal_number == signal.SIGHUP:
            # The terminal is gone: restoring it can block forever, so once the plan is
            # saved, make sure the process ends.
            watchdog = threading.Timer(HANGUP_EXIT_SECONDS, os._exit, args=(0,))
            watchdog.daemon = True
            watchdog.start()

    @property
    def private(self) -> bool:
        return any(isinstance(screen, PrivacyScreen) for screen in self.screen_stack)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the screen is hidden, every key but the privacy key does nothing. While the
        terminal is too small, only quitting, hiding the screen and the safety key (which
        opens its section under the notice, to be seen as the terminal grows) act."""
        if self.private:
            return action == "privacy"
        if isinstance(self.screen, TooSmallScreen):
            return action in ("quit", "privacy", "safety")
        return True

    def action_privacy(self) -> None:
        if isinstance(self.screen, PrivacyScreen):
            self.pop_screen()
            self._check_size(self.size.width, self.size.height)  # it may have changed meanwhile
        elif not self.private:
            self.push_screen(PrivacyScreen())

    def notify(self, message, *, title="", severity="information", timeout=None, markup=False):
        """Notifications are always plain text, and never shown over the privacy screen."""
        if self.private:
            return
        super().notify(str(message), title=str(title), severity=severity, timeout=timeout,
                       markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and isinstance(self.focused, CommandInput):
            # The command palette's text box is Textual's own, not one of ours that cleans
            # what is pasted into it (PlainInput): clean the paste on its way there.
            event.text = strip_controls(event.text)
        await super().on_event(event)

    def bell(self) -> None:
        if not self.private:
            super().bell()

    def _fatal_error(self) -> None:
        # Textual's own crash report prints local variables, which can hold plan text.
        error = sys.exc_info()[1]
        where = ""
        if error is not None and error.__traceback__ is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f" ({type(error).__name__} in {Path(frame.filename).name}, line {frame.lineno})"
        path = self.plan_path
        self._exit_renderables.append(Text(
            f"Kindred stopped because of an unexpected problem{where}.\n"
            f"Your plan is kept in {shown_path(path)}; every change saved before this moment is "
            "there, and the backups beside it are untouched."
        ))
        self._close_messages_no_wait()

    async def action_safety(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        await self.open_guide(SAFETY_SECTION, block_index=0)
        self.main_screen.set_focus(self.guide_pane.reader)

    async def action_search(self) -> None:
        if self.focused is not None and self.focused.check_consume_key("slash", "/"):
            raise SkipAction()  # a "/" typed into a text box is text
        from tui.ui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            # Handled as soon as it arrives, and waiting for the search box to be ready, so
            # that letters typed right after "/" land in the box.
            await self.push_screen(SearchScreen(self.guide), self._open_hit)

    async def _open_hit(self, hit: Hit | None) -> None:
        if hit is not None:
            await self.open_guide(hit.section.id, hit.block_index, (hit.start, hit.end))
            self.main_screen.set_focus(self.guide_pane.reader)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _arrange_panes(self) -> None:
        """Narrow terminals show one part at a time; wide ones keep the guide beside the
        plan or Rehearse."""
        wide = self.size.width >= WIDE_WIDTH
        self.main_screen.set_class(wide, "-wide")
        # Only the wide layout styles by pane: changing a class restyles the whole screen.
        self.main_screen.set_class(wide and self.current_pane == "guide", "-guide-current")
        self.guide_pane.display = wide or self.current_pane == "guide"
        self.main_screen.query_one("#work").display = wide or self.current_pane != "guide"
        if self.work_panes_ready.is_set():
            rehearse = self.rehearse_pane
            self.show_timer_strip(rehearse.strip_text() if rehearse.timing else "")

    def _check_size(self, width: int, height: int) -> None:
        if self.main_screen.query("#panes"):
            self._arrange_panes()
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not too_small:
            self.pop_screen()
