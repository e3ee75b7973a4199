"""The main screen: the guide, the plan and Rehearse, laid out for the terminal's width."""

import asyncio
import os
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Static, TextArea
from textual.worker import get_current_worker

from tui.core.guide import Guide
from tui.core.safe_text import shown_path
from tui.ui.messages import (
    AttemptSaved,
    OpenGuide,
    OpenRehearse,
    PlanChanged,
    ShowPane,
    TimerChanged,
)
from tui.ui.widgets.guide_pane import GuidePane
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.pane_tabs import PaneTabs

if TYPE_CHECKING:
    from tui.ui.widgets.plan_pane import ListEntry, PlanPane
    from tui.ui.widgets.rehearse_pane import RehearsePane

# The plan and Rehearse (and the storage behind them) are imported and built only once the
# guide is on screen, so that reading can start sooner: see MainScreen.start_work_panes.

OUTSIDE_CHANGES_CHECK_SECONDS = 1.0
EDIT_LOCK_WAIT_SECONDS = 0.05  # longer, and the plan pane waits for the lock off the screen
WIDE_WIDTH = 120
PANE_FOCUS = {"guide": "#toc", "plan": "#plan-nav", "rehearse": "#rehearse-list"}


class MainScreen(Screen[None]):
    """The three parts and which one is current (`current_pane`). Narrow terminals show one
    part at a time; wide ones keep the guide beside the plan or Rehearse.

    The plan and Rehearse are built just after the guide is first painted; until then
    `work_panes_ready` is not set, and a key for them waits for it. They then open the plan
    file (the app keeps the session). The panes tell this screen what happened with messages
    (tui.ui.messages) and it calls down into the others: a saved attempt refreshes readiness,
    an edit refreshes Rehearse's speakers and the guide's country, a running timer stays in
    a strip while Rehearse is out of sight.
    """

    def __init__(
        self,
        guide: Guide,
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self.first_guide = guide
        self.clock = clock
        self.wall_clock = wall_clock
        self.current_pane = "guide"
        self.focus_left_in: dict[str, Widget] = {}  # where the focus was in each part
        self.timer_text = ""
        self.mounted = asyncio.Event()  # this screen, with the guide on it
        self.work_panes_ready = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield PaneTabs(id="tabs")
        with Horizontal(id="panes"):
            yield GuidePane(self.first_guide, id="guide")
            yield ContentSwitcher(id="work")
        yield Static("", id="timer-strip")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#toc").focus()
        # Scheduled before any notice goes on top of this screen: a notice taken away
        # again could take the scheduled call with it.
        self.call_after_refresh(self.start_work_panes)
        self.arrange_panes()
        self.screen_layout_refresh_signal.subscribe(self, self._cursor_to_the_focus)
        self.app.guide_changed.subscribe(self, self.guide_pane.use_guide)
        self.mounted.set()

    def _cursor_to_the_focus(self, _: Screen) -> None:
        """Put the terminal's cursor back in the text box with the focus once the screen is
        laid out again: Textual moves it as the box changes, not as the form around the box
        scrolls or moves, and screen readers and input methods follow that cursor."""
        if isinstance(self.focused, (Input, TextArea)):
            self.app.cursor_position = self.focused.cursor_screen_offset

    async def start_work_panes(self) -> None:
        """Build the plan and Rehearse, then open the plan file: done once the guide is painted.
        Keys for them that arrive sooner wait for this (see show_pane_when_ready)."""
        from tui.ui.widgets.plan_pane import PlanPane
        from tui.ui.widgets.rehearse_pane import RehearsePane

        rehearse = RehearsePane(self.clock, self.wall_clock, id="rehearse")
        rehearse.display = False
        work = self.query_one("#work", ContentSwitcher)
        plan = PlanPane(self.wall_clock, id="plan")
        await work.mount_all([plan, rehearse])
        if not plan.is_attached:
            return  # quit, or closing down, before the plan was opened
        work.current = "plan"
        self.open_plan()
        await self.return_to_last_place()
        self.set_interval(OUTSIDE_CHANGES_CHECK_SECONDS, self.plan_pane.check_outside_changes)
        self.work_panes_ready.set()
        self.arrange_panes()

    @property
    def guide_pane(self) -> GuidePane:
        return self.query_one(GuidePane)

    @property
    def plan_pane(self) -> "PlanPane":
        return self.query_one("#work > #plan")

    @property
    def rehearse_pane(self) -> "RehearsePane":
        return self.query_one("#work > #rehearse")

    # Opening the plan

    def open_plan(self, read_only: bool = False) -> None:
        """Open the plan file; if it cannot be read, say why and offer the choices."""
        from tui.core.permissions import check_data_file
        from tui.ui.screens.permissions import PermissionsScreen

        exposed = [f for f in check_data_file(self.app.plan_path) if f.severity != "ok"]
        if exposed:
            self.app.push_screen(PermissionsScreen(exposed), self._after_permissions)
        self._open_session(read_only, ask_country=not exposed)

    def _open_session(self, read_only: bool, ask_country: bool) -> None:
        from tui.core.countries import country_from_locale
        from tui.core.session import PlanSession
        from tui.core.store import LockHeld, Store, StoreError, UnreadableFile
        from tui.ui.screens.data_problem import DataProblemScreen

        try:
            session = PlanSession(
                Store(self.app.plan_path, read_only=read_only, wait_seconds=EDIT_LOCK_WAIT_SECONDS),
                default_country=country_from_locale(os.environ),
                lock_wait_seconds=EDIT_LOCK_WAIT_SECONDS,
            )
        except UnreadableFile as problem:
            self.plan_pane.attach(None, problem.message)
            self.app.push_screen(DataProblemScreen(problem.message), self._after_data_problem)
            return
        except LockHeld:
            self.plan_pane.attach(None)
            self.plan_pane.set_status(
                "Another program is saving the plan: it opens as soon as that is done."
            )
            self.run_worker(
                partial(self._open_when_free, read_only, ask_country), thread=True, group="open"
            )
            return
        except StoreError as problem:
            self.plan_pane.attach(None, problem.message)
            return
        self.app.session = session
        self.rehearse_pane.attach(session, self.plan_pane.change_when_free)
        self.plan_pane.attach(session)
        if ask_country:  # else once the user has chosen to go on
            self.ask_country_if_unset()

    def _open_when_free(self, read_only: bool, ask_country: bool) -> None:
        """Wait, off the screen, for another program to let go of the plan, then open it."""
        from tui.core.store import LockHeld, Store, StoreError
        from tui.ui.widgets.plan_pane import LOCK_CHECK_SECONDS

        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                Store(self.app.plan_path, read_only=read_only, wait_seconds=LOCK_CHECK_SECONDS)
            except LockHeld:
                continue
            except StoreError:
                pass  # opening it says why
            self.app.call_from_thread(self._open_session, read_only, ask_country)
            return

    def ask_country_if_unset(self) -> None:
        """Where neither the plan nor the locale names a country, ask which, unless
        something else is on the screen. A plan open read-only is not asked about."""
        from tui.ui.screens.country import CountryScreen

        session = self.app.session
        if session is None or session.read_only or session.plan.country:
            return
        if self.app.screen is self:
            self.app.push_screen(CountryScreen(), self._after_country_question)

    def _after_country_question(self, country: str | None) -> None:
        if country is not None:
            self.plan_pane.choose_country(country)

    def _after_permissions(self, go_on: bool | None) -> None:
        if not go_on:
            self.app.save_and_exit()
        else:
            self.ask_country_if_unset()

    def _after_data_problem(self, choice: str | None) -> None:
        from tui.core.store import Store, StoreError

        path = self.app.plan_path
        if choice == "read-only":
            self.open_plan(read_only=True)
        elif choice == "fresh":
            try:
                kept = Store.set_aside(path)
            except StoreError as problem:
                self.app.notify(Content(problem.message), severity="error", timeout=15)
                return
            kept_as = f"The unreadable file is kept as {shown_path(kept)}."
            self.app.notify(Content(kept_as), timeout=15)
            self.open_plan()

    @property
    def plan_country(self) -> str | None:
        """The plan's country; while it has none, the locale's (None if that names none)."""
        from tui.core.countries import country_from_locale

        session = self.app.session
        return (session.plan.country if session else "") or country_from_locale(os.environ)

    def save_now(self) -> str:
        """Save whatever is typed but not yet saved, and keep a running timer's attempt
        (before quitting); why some edits could not be saved, or "" if all is saved."""
        if not self.work_panes_ready.is_set():
            return ""
        if self.rehearse_pane.running:
            self.rehearse_pane.stop_and_keep()
        return self.plan_pane.save_now()

    def waiting_in_words(self) -> list[str]:
        """The changes of records still waiting for another program to let go of the plan."""
        return self.plan_pane.waiting_in_words() if self.work_panes_ready.is_set() else []

    # Where the person was

    async def return_to_last_place(self) -> None:
        """Open where the person was when they last left this plan: the part, the guide's
        section and the item chosen in the plan's list."""
        from tui.core.last_place import place_file, read_place
        from tui.ui.widgets.plan_pane import ListEntry

        place = read_place(place_file(), self.app.plan_path)
        if place.section in self.app.guide:
            await self.guide_pane.open(place.section)
        if place.plan_item and self.plan_pane.session is not None:
            self.plan_pane.rebuild_nav(ListEntry.parse(place.plan_item))
        self.show_pane(place.pane)

    def keep_place(self) -> None:
        """Keep where the person is, in a private file of theirs, for the next start."""
        from tui.core.last_place import Place, place_file, write_place

        section = self.guide_pane.current
        ready = self.work_panes_ready.is_set() and self.plan_pane.session is not None
        item = self.plan_pane.nav.highlighted_entry.id if ready else ""
        place = Place(self.current_pane, section.id if section else "", item)
        write_place(place_file(), self.app.plan_path, place)

    # What the panes tell

    def on_plan_changed(self, event: PlanChanged) -> None:
        """Keep Rehearse's list of speakers current, and the guide filled in for the plan's
        country."""
        if not self.rehearse_pane.running:
            self.rehearse_pane.refresh_people()
        guide = self.app.guide.for_country(self.plan_country)
        if guide is not self.app.guide:
            self.app.use_guide(guide)

    def on_attempt_saved(self, event: AttemptSaved) -> None:
        self.plan_pane.refresh_after_rehearsal()

    async def on_open_guide(self, event: OpenGuide) -> None:
        await self.open_guide_at(event.section_id, event.heading_slug)

    def on_open_rehearse(self, event: OpenRehearse) -> None:
        self.rehearse(event.choice)

    def on_show_pane(self, event: ShowPane) -> None:
        # Handled as the part's key is, by the app: waiting here for the plan and Rehearse
        # to be built would hold up this screen, which builds them.
        self.app.call_later(self.app.run_action, f"show_pane({event.pane!r})")

    def on_timer_changed(self, event: TimerChanged) -> None:
        self.timer_text = event.text
        self._show_timer_strip()

    def _show_timer_strip(self) -> None:
        """A running timer stays in sight, in a strip, while Rehearse is not on screen."""
        strip = self.query_one("#timer-strip", Static)
        strip.update(Content(self.timer_text))
        work = self.query_one("#work", ContentSwitcher)
        rehearse_shown = work.display and work.current == "rehearse"
        strip.display = bool(self.timer_text) and not rehearse_shown

    # Showing a part

    async def show_pane_when_ready(self, pane: str) -> None:
        if pane != "guide":
            await self.work_panes_ready.wait()
        self.show_pane(pane)

    def show_pane(self, pane: str) -> None:
        if self.current_pane == pane:
            return
        left, self.current_pane = self.current_pane, pane
        self._remember_focus(left)
        if pane != "guide":
            self.query_one("#work", ContentSwitcher).current = pane
        self.arrange_panes()
        self.query_one(PaneTabs).current = pane
        self.set_focus(self._focus_to_return_to(pane))
        if not (left == "guide" and self.app.size.width >= WIDE_WIDTH):
            self._forget_drawn_lines(left)

    def _pane_widget(self, pane: str) -> Widget:
        return self.guide_pane if pane == "guide" else self.query_one(f"#work > #{pane}")

    def _remember_focus(self, pane: str) -> None:
        focused = self.focused
        if focused is not None and self._pane_widget(pane) in focused.ancestors:
            self.focus_left_in[pane] = focused

    def _focus_to_return_to(self, pane: str) -> Widget:
        """Where the focus was when the part was left, if that is still there to take it;
        else the part's list."""
        remembered = self.focus_left_in.pop(pane, None)
        if remembered is not None and remembered.is_attached and remembered.focusable:
            return remembered
        return self.query_one(PANE_FOCUS[pane])

    def _forget_drawn_lines(self, pane: str) -> None:
        """The containers of a pane just hidden, and those around the panes, let go of their
        drawn lines. Textual keeps each container's lines cut into pieces at every edge of
        the widgets in front of it, for each layout it was shown in: a few thousand small
        objects, about a megabyte. A container's lines are blank, so drawing them again
        costs next to nothing; the widgets with text keep theirs. How Textual keeps them is
        its own affair: test_a_part_put_out_of_sight_lets_go_of_its_drawn_lines checks that
        it still does, and that this lets go of them."""
        hidden = self._pane_widget(pane)
        for widget in [*hidden.walk_children(with_self=True), *self.query("#panes, #work")]:
            if widget.is_container:
                widget.refresh()

    def arrange_panes(self) -> None:
        """Narrow terminals show one part at a time; wide ones keep the guide beside the
        plan or Rehearse."""
        wide = self.app.size.width >= WIDE_WIDTH
        self.set_class(wide, "-wide")
        # Only the wide layout styles by pane: changing a class restyles the whole screen.
        self.set_class(wide and self.current_pane == "guide", "-guide-current")
        self.guide_pane.display = wide or self.current_pane == "guide"
        self.query_one("#work").display = wide or self.current_pane != "guide"
        if self.work_panes_ready.is_set():
            self._show_timer_strip()

    # Going somewhere

    async def open_guide(
        self,
        section_id: str,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        self.show_pane("guide")
        await self.guide_pane.open(section_id, block_index, highlight)

    async def read_guide(
        self,
        section_id: str,
        block_index: int | None = None,
        highlight: tuple[int, int] | None = None,
    ) -> None:
        """Open the guide at a place and put the focus in the text, to read on from there."""
        await self.open_guide(section_id, block_index, highlight)
        self.set_focus(self.guide_pane.reader)

    async def open_guide_at(self, section_id: str, heading_slug: str = "") -> None:
        """Open the guide on a section, at a heading when one is named."""
        guide = self.app.guide
        if section_id not in guide:
            self.app.notify(f"This guide has no section {section_id!r}.", severity="warning")
            return
        block_index = guide[section_id].block_for_heading(heading_slug) if heading_slug else 0
        await self.read_guide(section_id, block_index)

    def open_plan_entry(self, entry: "ListEntry") -> None:
        """Show the plan with one of the items in its list chosen."""
        self.show_pane("plan")
        self.plan_pane.rebuild_nav(entry)

    def show_changes(self) -> None:
        """The plan's changes, over the plan."""
        self.show_pane("plan")
        self.plan_pane.show_changes()

    def rehearse(self, person_id: str) -> None:
        self.show_pane("rehearse")
        self.rehearse_pane.choose(person_id)
