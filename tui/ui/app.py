"""The Kindred app: what holds everywhere. The keys that work from any screen, the plan
session and the guide, hiding the screen, the safety key, the terminal being too small,
quitting and crashing. The guide, the plan and Rehearse are laid out on the main screen."""

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding
from textual.command import CommandInput
from textual.signal import Signal

from tui.core.guide import Guide, Hit
from tui.core.safe_text import shown_path, strip_controls
from tui.ui.commands import Actions, GuideSections, PlanPeople
from tui.ui.screens.main import MainScreen
from tui.ui.screens.privacy import PrivacyScreen
from tui.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.ui.widgets.guide_pane import GuidePane, TableOfContents
from tui.ui.widgets.reader import GuideReader

if TYPE_CHECKING:
    from tui.core.session import PlanSession

# Search and help are imported when first opened.

SAFETY_SECTION = "staying-safe"
SIGNAL_GRACE_SECONDS = 0.1
HANGUP_EXIT_SECONDS = 3.0


class KindredApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Kindred"
    # Only Kindred's own commands: Textual's system commands include a screenshot, which
    # would write the plan to a file.
    COMMANDS = {GuideSections, PlanPeople, Actions}
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
            "f4",
            "show_pane('rehearse')",
            "Rehearse",
            key_display="F4",
            priority=True,
            id="app.rehearse",
        ),
        Binding("r", "show_pane('rehearse')", "Rehearse", show=False, id="app.rehearse_letter"),
        Binding("slash", "search", "Search", priority=True, id="app.search"),
        Binding(
            "f5", "safety", "Safety", key_display="F5", priority=True, show=False, id="app.safety"
        ),  # always in sight on the row of tabs
        Binding("exclamation_mark", "safety", "Safety", show=False, id="app.safety_letter"),
        Binding("ctrl+p", "command_palette", "Find anything", show=False, id="app.palette"),
        Binding(
            "f12",
            "privacy",
            "Hide the screen",
            key_display="F12",
            priority=True,
            show=False,
            id="app.privacy",
        ),
        Binding(
            "ctrl+backslash",
            "privacy",
            "Hide the screen",
            priority=True,
            show=False,
            id="app.privacy_ctrl",
        ),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        # Moving the focus as soon as tab arrives keeps fast typing in the right field.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next"),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            show=False,
            priority=True,
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
        self.guide = guide  # filled in for the plan's country, once the plan is open
        self.guide_changed: Signal[Guide] = Signal(self, "guide-changed")
        self.data_path = data_path
        self.clock = clock
        self.wall_clock = wall_clock or (lambda: datetime.now(UTC))
        self.session: PlanSession | None = None  # opened by the main screen

    def use_guide(self, guide: Guide) -> None:
        """Show the guide filled in for another country: the guide pane and an open search
        follow it."""
        self.guide = guide
        self.guide_changed.publish(guide)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.guide, self.clock, self.wall_clock)

    async def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            loop.add_signal_handler(signal_number, self._stop_on_signal, signal_number)
        if not self.is_headless and sys.__stdin__ is not None and sys.__stdin__.isatty():
            watcher = threading.Thread(
                target=self._wait_for_hangup, args=(loop, sys.__stdin__.fileno()), daemon=True
            )
            watcher.start()
        # The main screen is built in its own time: keys wait for it, as they wait for this.
        await self.main_screen.mounted.wait()
        self._check_size(self.size.width, self.size.height)

    @property
    def main_screen(self) -> MainScreen:
        """The screen with the guide, plan and Rehearse, under any dialog on top of it."""
        return cast(MainScreen, self.screen_stack[0])

    @property
    def plan_path(self) -> Path:
        from tui.core.store import default_data_path

        return self.data_path or default_data_path()

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        from tui.ui.screens.changes import ChangesScreen, EarlierValuesScreen
        from tui.ui.screens.country import CountryScreen
        from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
        from tui.ui.screens.permissions import PermissionsScreen
        from tui.ui.screens.search import SearchScreen
        from tui.ui.screens.unsaved import UnsavedScreen
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
            ("Quitting with changes not saved", UnsavedScreen.BINDINGS),
            ("Which country", CountryScreen.BINDINGS),
            ("Changes", ChangesScreen.BINDINGS),
            ("A field's earlier values", EarlierValuesScreen.BINDINGS),
        ]

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_groups()))

    async def action_show_pane(self, pane: str) -> None:
        await self.main_screen.show_pane_when_ready(pane)

    async def action_quit(self) -> None:
        self.save_and_exit()

    def save_and_exit(self) -> None:
        """Save whatever is on screen, then leave; if some changes cannot be saved, ask
        whether to try again, copy them to a private file, or quit without them."""
        from tui.ui.screens.unsaved import UnsavedScreen

        if isinstance(self.screen, UnsavedScreen):
            return
        problem = self.main_screen.save_now()
        if not problem:
            self.main_screen.keep_place()
            self.exit()
            return

        def decide(choice: str | None) -> None:
            if choice == "retry":
                self.save_and_exit()
            elif choice == "copy":
                self._exit_keeping_unsaved()
            elif choice == "quit":
                self.exit()

        self.push_screen(UnsavedScreen(problem), decide)

    def _save_and_exit_on_signal(self) -> None:
        """Save whatever is on screen; what cannot be saved goes to a private file. Then
        leave (SIGTERM, SIGHUP, SIGINT, the terminal gone)."""
        if self.main_screen.save_now():
            self._exit_keeping_unsaved()
        else:
            self.exit()

    def _exit_keeping_unsaved(self) -> None:
        """Write the changes that could not be saved to a private file beside the plan, and
        leave saying where they are."""
        try:
            path = self.session.keep_unsaved_privately(
                datetime.now(), self.main_screen.waiting_in_words()
            )
        except OSError as error:
            told = (
                "Kindred could not save your last changes, nor copy them to a file beside the "
                f"plan ({error.strerror or error}). They are lost."
            )
        else:
            told = (
                f"Kindred could not save your last changes. They are in {shown_path(path)}, "
                "which only you can read."
            )
        self.exit(message=Text(told))

    def _stop_on_signal(self, signal_number: int) -> None:
        # A moment's grace lets keys already typed reach their fields before saving.
        self.set_timer(SIGNAL_GRACE_SECONDS, self._save_and_exit_on_signal)
        if signal_number == signal.SIGHUP:
            # The terminal is gone: restoring it can block forever, so once the plan is
            # saved, make sure the process ends.
            watchdog = threading.Timer(HANGUP_EXIT_SECONDS, os._exit, args=(0,))
            watchdog.daemon = True
            watchdog.start()

    def _wait_for_hangup(self, loop: asyncio.AbstractEventLoop, terminal_input: int) -> None:
        """Wait (in a thread of its own) for the terminal to go away without a SIGHUP, as it
        does for a program started with setsid or su -c: its input then only ever reads as
        ended. Stop then as for SIGHUP, rather than read nothing forever."""
        hangup = select.poll()
        hangup.register(terminal_input, 0)  # no data: only a hang-up or an error wakes it
        hangup.poll()
        with contextlib.suppress(RuntimeError):  # the app has ended already
            loop.call_soon_threadsafe(self._stop_on_signal, signal.SIGHUP)

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
        super().notify(
            str(message), title=str(title), severity=severity, timeout=timeout, markup=False
        )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and isinstance(self.focused, CommandInput):
            # The command palette's text box is Textual's own, not one of ours that cleans
            # what is pasted into it (PlainInput): clean the paste on its way there
            # (test_pasted_text_is_cleaned_in_the_command_palette).
            event.text = strip_controls(event.text)
        await super().on_event(event)

    def bell(self) -> None:
        if not self.private:
            super().bell()

    def _fatal_error(self) -> None:
        # Textual's own crash report prints local variables, which can hold plan text. This
        # replaces a private method of Textual's App: tests/system/test_crash.py fails if
        # Textual stops calling it, or if its own report stops showing local variables.
        error = sys.exc_info()[1]
        where = ""
        if error is not None and error.__traceback__ is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f" ({type(error).__name__} in {Path(frame.filename).name}, line {frame.lineno})"
        path = self.plan_path
        self._exit_renderables.append(
            Text(
                f"Kindred stopped because of an unexpected problem{where}.\n"
                f"Your plan is kept in {shown_path(path)}; every change saved before this "
                "moment is there, and the backups beside it are untouched."
            )
        )
        self._close_messages_no_wait()

    async def action_safety(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        await self.main_screen.read_guide(SAFETY_SECTION, block_index=0)

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
            await self.main_screen.read_guide(hit.section.id, hit.block_index, (hit.start, hit.end))

    def on_resize(self, event: events.Resize) -> None:
        if self.main_screen.mounted.is_set():  # else on_mount checks the size
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        self.main_screen.arrange_panes()
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not too_small:
            self.pop_screen()
