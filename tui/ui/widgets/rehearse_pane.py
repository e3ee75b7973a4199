"""Rehearse: time one statement, or the whole meeting in speaking order, with speech lights;
and practise answering the loved one's objections, one at a time."""

from collections.abc import Callable
from random import Random

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Digits, OptionList, Static
from textual.widgets.option_list import Option

from tui.core import coach
from tui.core.drill import DrillOrder, drill_order
from tui.core.plan import counted, format_duration
from tui.core.rehearsal import (
    Light,
    Mark,
    ObjectionTry,
    Pace,
    changed_since_rehearsed,
    format_clock,
    readable,
    summarize,
)
from tui.core.session import PlanSession
from tui.core.store import LockHeld, StoreError
from tui.core.timing import (
    HISTORY_LISTED,
    DrillTiming,
    HistoryEntry,
    MeetingTiming,
    StatementTiming,
    Timing,
    attempts_history,
    history_chart,
    history_line,
    not_listed,
    run_history,
    runs_history,
    split_text,
    statement_history,
    tries_history,
    try_history,
    when_timed,
)
from tui.ui.messages import AttemptSaved, TimerChanged
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
from tui.ui.widgets.statement_notes import statement_notes

WHOLE_MEETING = "whole-meeting"
OBJECTIONS = "objections"
LIGHT_WORDS = {
    Light.OFF: "",
    Light.GREEN: "GREEN · minimum reached",
    Light.YELLOW: "YELLOW · midway between green and red",
    Light.RED: "RED · time is up",
}
TIMING_WORDS = "timing · space stops"  # before the first light comes on
MARK_WORDS = "w went well · x needs work"
RUN_OVER_WORDS = "END · the run-through is over"


def coached_statement(statement: str, target_seconds: float, pace: Pace) -> Content:
    """The statement as written, with the coach's findings marked and explained below it,
    and whether it fits its target at the speaker's pace."""
    if not statement.strip():
        return Content("(No statement written yet. Write it in the plan: F3.)")
    report = coach.review(statement, target_seconds, pace)
    content = Content(statement)
    for finding in report.findings:
        content = content.stylize("underline bold $warning", finding.start, finding.end)
    return Content.assemble(content, "\n\n", statement_notes(report))


SaveWhenFree = Callable[[Callable[[], None], str], None]


class HistoryChart(Widget):
    """Times as bars, the latest that fit in the width, with the target's row marked; bars
    over the target in the error colour."""

    DEFAULT_CSS = """
    HistoryChart {
        height: 2;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.times: list[float] = []
        self.target = 0.0

    def show(self, times: list[float], target_seconds: float) -> None:
        """`times` oldest first."""
        self.times, self.target = times, target_seconds
        self.refresh()

    def render(self) -> Content:
        if not self.times or not self.target:
            return Content("")
        chart = history_chart(self.times, self.target, self.size.width, self.size.height)
        lines = []
        for row in chart.rows:
            line = Content(row)
            for column, over in enumerate(chart.over):
                line = line.stylize("$error" if over else "$success", column, column + 1)
            lines.append(line)
        return Content("\n").join(lines)


class RehearsePane(Horizontal):
    """The speakers (and the whole meeting) in a list, the chosen one's clock, statement and
    history beside it.

    `selected` is the chosen person's id, WHOLE_MEETING, or OBJECTIONS for the drill, whose
    `drill` says which objection is being practised (made at the first visit; `random`
    shuffles it). `timing` times the choice: a StatementTiming, a MeetingTiming or a
    DrillTiming, made afresh at each start, None after a new choice (the clock shows zero).
    A stopped drill try waits for its mark (w or x) before it is saved. While a timing runs
    (`running`), choosing someone else first asks whether to keep the attempt, and the
    plan's edits do not change the list of speakers.
    The clock is redrawn only when what it shows changes; each speaker's bell rings once,
    at red; and the screen is told what the timer strip shows whenever that changes.
    """

    BINDINGS = [
        Binding("space", "start_stop", "Start/stop", key_display="space", id="rehearse.toggle"),
        Binding("n", "next_speaker", "Next speaker or objection", show=False, id="rehearse.next"),
        Binding("w", "mark('went well')", "The try went well", show=False, id="drill.well"),
        Binding("x", "mark('needs work')", "The try needs work", show=False, id="drill.work"),
        Binding("escape", "interrupt", "Stop and ask", show=False, id="rehearse.interrupt"),
        # While the timer runs, these scroll the text being read instead of moving in the list.
        Binding(
            "up",
            "scroll_text('up')",
            "Scroll up",
            show=False,
            priority=True,
            id="rehearse.scroll_up",
        ),
        Binding(
            "down",
            "scroll_text('down')",
            "Scroll down",
            show=False,
            priority=True,
            id="rehearse.scroll_down",
        ),
        Binding(
            "pageup",
            "scroll_text('page_up')",
            "Page up",
            show=False,
            priority=True,
            id="rehearse.page_up",
        ),
        Binding(
            "pagedown",
            "scroll_text('page_down')",
            "Page down",
            show=False,
            priority=True,
            id="rehearse.page_down",
        ),
        Binding(
            "delete,d",
            "delete_attempt",
            "Delete attempt",
            key_display="del",
            id="rehearse.delete",
        ),
        Binding("b", "toggle_bell", "Bell at red on/off", show=False, id="rehearse.bell"),
        Binding(
            "t", "toggle_tenths", "Tenths of a second on/off", show=False, id="rehearse.tenths"
        ),
    ]

    def __init__(self, clock, wall_clock, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.wall_clock = wall_clock
        self.session: PlanSession | None = None
        self.selected: str | None = None
        self.timing: Timing | None = None
        self.drill: DrillOrder | None = None
        self.random = Random()
        self.bell = True
        self.tenths = False
        self._rang = False
        self._shown = ""
        self._light_words_shown: str | None = None
        self._strip_told = ""
        self._tick_timer: Timer | None = None
        self.entries: list[HistoryEntry] = []  # as the history list shows them

    def compose(self) -> ComposeResult:
        yield OptionList(id="rehearse-list", markup=False)
        with Vertical(id="rehearse-main"):
            with Horizontal(id="clock-row"):
                yield Digits("0:00", id="clock")
                yield Static("", id="light")
            yield Static("", id="rehearse-info")
            with VerticalScroll(id="rehearse-text"):
                yield Static("", id="rehearse-statement")
            yield Static("", id="history-summary")
            yield HistoryChart(id="history-chart")
            yield OptionList(id="history-list", markup=False)

    # What is chosen

    def attach(self, session: PlanSession | None, save_when_free: SaveWhenFree) -> None:
        """`save_when_free(save, what)` saves now or, while another program holds the plan,
        as soon as it lets go; `save` raises LockHeld having saved nothing."""
        self.session = session
        self.save_when_free = save_when_free
        self.refresh_people()

    def refresh_people(self) -> None:
        """Rebuild the list of speakers, keeping the choice (or taking the first speaker, also
        when the first person joins a plan that had none)."""
        people = self.session.plan.people if self.session else []
        options = [
            Option(Content(f"{n}. {p['name'] or '(unnamed person)'}"), id=p["id"])
            for n, p in enumerate(people, start=1)
        ]
        if people:
            options.append(Option(Content.styled("Whole meeting", "bold"), id=WHOLE_MEETING))
        if self.session:
            options.append(Option(Content.styled("Objections", "bold"), id=OBJECTIONS))
            self._objections_changed()
        ids = [option.id for option in options]
        listing = self.query_one("#rehearse-list", OptionList)
        listed = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        first_speaker = bool(people) and set(listed) <= {WHOLE_MEETING, OBJECTIONS}
        still_there = self.selected in ids and not first_speaker
        if not still_there:
            self.selected = ids[0] if ids else None
        with listing.prevent(OptionList.OptionHighlighted):
            listing.set_options(options)
            if self.selected is not None:
                listing.highlighted = ids.index(self.selected)
        if still_there:
            self.show_details()
        else:
            self.show_selected()

    @on(OptionList.OptionHighlighted, "#rehearse-list")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        chosen = event.option_id
        if self.running and chosen != self.selected:
            self._highlight(self.selected)
        self.choose(chosen)

    def choose(self, option_id: str) -> None:
        """Choose a speaker (or the whole meeting), asking first if the timer is running."""
        if option_id == self.selected:
            return
        if self.running:
            self._ask_keep_or_discard(then_select=option_id)
            return
        self._drop_unmarked_try()
        self.selected = option_id
        self._highlight(option_id)
        self.show_selected()

    def _highlight(self, option_id: str | None) -> None:
        listing = self.query_one("#rehearse-list", OptionList)
        with listing.prevent(OptionList.OptionHighlighted):
            for index, option in enumerate(listing.options):
                if option.id == option_id:
                    listing.highlighted = index

    def person(self, person_id: str | None) -> dict | None:
        if self.session is None or person_id is None:
            return None
        return self.session.plan.record("people", person_id)

    def _names(self) -> dict[str, str]:
        return {person["id"]: person["name"] for person in self.session.plan.people}

    # Showing

    def show_selected(self) -> None:
        """A new choice: the clock goes back to zero."""
        self.timing = None
        self._rang = False
        self._shown = ""
        self.update_clock()
        self.show_details()

    def show_details(self) -> None:
        """The chosen statement (or the meeting), with its history."""
        if self.selected is None:
            self._show_text("Add people to the plan (F3) to rehearse their statements.")
            self._set_info("")
            self._show_history(None)
        elif self.selected == WHOLE_MEETING:
            self._show_meeting()
        elif self.selected == OBJECTIONS:
            self._show_drill()
        else:
            person = self.person(self.selected)
            self._show_statement(person)
            target = format_duration(person["target_seconds"])
            rehearsals = self.session.plan.rehearsals_of(person["id"])
            changed = changed_since_rehearsed(rehearsals, person["statement"])
            self._set_info(
                f"{person['name'] or 'This person'} · target {target}"
                + (" · changed since last rehearsed" if changed else "")
                + " · space starts, space again stops and saves"
            )
            self._show_history(person)

    def _show_meeting(self) -> None:
        people = self.session.plan.people
        planned = sum(p["target_seconds"] for p in people)
        self._show_text(
            "The whole meeting, in speaking order: "
            + ", ".join(p["name"] or "(unnamed)" for p in people)
            + f". Planned length {format_duration(planned)}."
            + "\n\nSpace starts with the first speaker; n moves to the next speaker;"
            " the last n (or space) ends the run-through and saves it."
        )
        self._set_info(f"{len(people)} speakers · planned {format_duration(planned)}")
        runs = self.session.plan.lists["runs"]
        self._show_history_of(
            runs_history(runs, planned, self._names()),
            run_history(self.session.plan),
            planned,
            ("run-through", "run-throughs"),
        )

    def _objections_changed(self) -> None:
        """Keep the drill to the plan's objections, and on one of them if there are any."""
        if self.drill is None:
            return
        self.drill.objections_changed([o["id"] for o in self.session.plan.lists["objections"]])
        if self.drill.current is None:
            self.drill.next()

    def objection(self) -> dict | None:
        """The objection being practised, if any; the drill starts at the first call."""
        if self.drill is None:
            self.drill = drill_order(self.session.plan, self.random)
            self.drill.next()
        return self.session.plan.record("objections", self.drill.current)

    def _show_drill(self) -> None:
        objection = self.objection()
        if objection is None:
            self._show_text(
                "No objections yet. In the plan (F3), under Objections, write what your loved"
                " one may say and your prepared answer; then practise answering here."
            )
            self._set_info("")
            self._show_history_of("", [], 0, ("try", "tries"))
            return
        target = objection["target_seconds"]
        count = len(self.session.plan.lists["objections"])
        self._set_info(
            f"{counted(count, 'objection', 'objections')} to practise · answer in"
            f" {format_duration(target)} · space starts and stops · n next"
        )
        said = Content.assemble(
            ("Your loved one says:\n\n", "$text-muted"),
            (f"“{objection['objection'].strip() or '(not written yet)'}”", "bold $accent"),
        )
        if isinstance(self.timing, DrillTiming) and not self.timing.running:
            answer = (
                objection["answer"].strip() or "(No answer written yet. Write it in the plan: F3.)"
            )
            said = Content.assemble(
                said,
                ("\n\nYour prepared answer:\n", "$text-muted"),
                Content(answer),
            )
        self._show_text(said)
        tries = readable(ObjectionTry.from_dict, self.session.plan.tries_of(objection["id"]))
        self._show_history_of(
            tries_history(tries, target),
            try_history(self.session.plan, objection["id"]),
            target,
            ("try", "tries"),
        )

    def _show_text(self, text: str | Content) -> None:
        self.query_one("#rehearse-statement", Static).update(
            text if isinstance(text, Content) else Content(text)
        )
        self.query_one("#rehearse-text").scroll_home(animate=False)

    def _show_statement(self, person: dict) -> None:
        pace = self.session.plan.pace_of(person["id"])
        self._show_text(coached_statement(person["statement"], person["target_seconds"], pace))

    def _set_info(self, text: str) -> None:
        self.query_one("#rehearse-info", Static).update(Content(text))

    def _show_history(self, person: dict | None) -> None:
        if person is None:
            self._show_history_of("", [], 0, ("attempt", "attempts"))
            return
        target = person["target_seconds"]
        summary = summarize(self.session.plan.rehearsals_of(person["id"]), target)
        self._show_history_of(
            attempts_history(summary),
            statement_history(self.session.plan, person["id"]),
            target,
            ("attempt", "attempts"),
        )

    def _show_history_of(
        self,
        summary: str,
        entries: list[HistoryEntry],
        target_seconds: float,
        nouns: tuple[str, str],
    ) -> None:
        """The history's summary line, its chart, and its list: the newest attempts, one a
        line, and how many earlier ones are not listed. `entries` are newest first."""
        self.query_one("#history-summary", Static).update(Content(summary))
        self.entries = entries[:HISTORY_LISTED]
        times = [entry.seconds for entry in reversed(self.entries)]
        self.query_one("#history-chart", HistoryChart).show(times, target_seconds)
        options = [
            Option(Content(history_line(entry, target_seconds)), id=str(number))
            for number, entry in enumerate(self.entries)
        ]
        left = not_listed(len(entries), *nouns)
        if left:
            options.append(Option(Content(left), disabled=True))
        listing = self.query_one("#history-list", OptionList)
        listing.set_options(options)
        listing.display = bool(options)
        listing.highlighted = 0 if self.entries else None
        self.refresh_bindings()

    # Timing

    @property
    def running(self) -> bool:
        return self.timing is not None and self.timing.running

    def _new_timing(self) -> Timing:
        if self.selected == OBJECTIONS:
            objection = self.objection()
            return DrillTiming(
                objection["id"], objection["target_seconds"], self.clock, self.wall_clock
            )
        if self.selected == WHOLE_MEETING:
            people = self.session.plan.people
            speakers = [(p["id"], p["target_seconds"]) for p in people]
            statements = {p["id"]: p["statement"] for p in people}
            return MeetingTiming(speakers, self.clock, self.wall_clock, statements)
        person = self.person(self.selected)
        return StatementTiming(
            person["id"],
            person["target_seconds"],
            self.clock,
            self.wall_clock,
            statement=person["statement"],
        )

    def update_clock(self) -> None:
        """Redraw only when the shown time changes: nothing is sent while nothing changes."""
        if self.has_class("-running") != self.running:
            # While timing, the history gives its room to the text being read.
            self.set_class(self.running, "-running")
            self.refresh_bindings()
        timing = self.timing
        elapsed = timing.elapsed() if timing else 0.0
        light = timing.light() if timing else Light.OFF
        shown = format_clock(elapsed, tenths=self.tenths)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#clock", Digits).update(shown)
        self._tell_strip()
        clock_row = self.query_one("#clock-row")
        for each in Light:
            clock_row.set_class(each is light, f"-{each.value}")
        words = LIGHT_WORDS[light] or (TIMING_WORDS if self.running else "")
        if self._awaiting_mark():
            words = MARK_WORDS
        elif isinstance(timing, MeetingTiming) and timing.finished:
            words = RUN_OVER_WORDS
        if words != self._light_words_shown:
            self._light_words_shown = words
            self.query_one("#light", Static).update(words)
        if light is Light.RED and self.running and not self._rang:
            self._rang = True
            if self.bell:
                self.app.bell()

    def _tell_strip(self) -> None:
        """Tell the screen what the timer strip shows, when that changes."""
        text = self.strip_text() if self.running else ""
        if text != self._strip_told:
            self._strip_told = text
            self.post_message(TimerChanged(text))

    def strip_text(self) -> str:
        if isinstance(self.timing, DrillTiming):
            name = "answering an objection"
        else:
            who = self.person(self.timing.speaker if self.timing else self.selected)
            name = who["name"] if who else ""
        return f"● {self._shown} {name} · F4 returns to the timer"

    def _tick(self) -> None:
        self._tick_timer = None
        if not self.running:
            return
        self.update_clock()
        step = 0.1 if self.tenths else 1.0
        delay = step - (self.timing.elapsed() % step) + 0.005
        self._tick_timer = self.set_timer(delay, self._tick)

    def _start_ticking(self) -> None:
        if self._tick_timer is not None:
            self._tick_timer.stop()
        self._tick()

    def action_start_stop(self) -> None:
        if self.selected is None:
            self.app.notify("Add people to the plan first (F3).")
        elif self.selected == OBJECTIONS and self.objection() is None:
            self.app.notify("Write an objection in the plan first (F3).")
        elif self.running and isinstance(self.timing, DrillTiming):
            self.timing.stop()
            self._show_drill()
            self.update_clock()
        elif self.running:
            self.timing.stop()
            if isinstance(self.timing, StatementTiming) and self.timing.stopped_short():
                self._ask_about_a_short_attempt()
            else:
                self._save()
        else:
            self._drop_unmarked_try()
            self.timing = self._new_timing()
            self.timing.start()
            self._rang = False
            if isinstance(self.timing, MeetingTiming):
                self._show_turn()
            self._start_ticking()

    def _save(self) -> None:
        """Save what the stopped timing timed, and show it in the history."""
        self.update_clock()
        timing = self.timing

        def save() -> None:
            try:
                told = timing.save(self.session)
            except LockHeld:
                raise
            except StoreError as error:
                self.app.notify(
                    f"The {timing.noun} was not saved: {error.message}",
                    severity="error",
                    timeout=10,
                )
                return
            self.app.notify(Content(told))
            self._saved()

        self.save_when_free(save, self._in_words(timing))

    def _saved(self) -> None:
        """A rehearsal is saved: its history anew, unless a timer runs again."""
        if self.selected in (WHOLE_MEETING, OBJECTIONS) and not self.running:
            self.show_details()
            self.update_clock()
        elif self.selected is not None and not self.running:
            self._show_history(self.person(self.selected))
        self.post_message(AttemptSaved())

    def _in_words(self, timing: Timing) -> str:
        """What a stopped timing timed, for a file if it cannot be saved."""
        if isinstance(timing, MeetingTiming):
            whose = "the whole meeting"
        elif isinstance(timing, DrillTiming):
            whose = f"the objection “{self.objection()['objection']}”"
        else:
            whose = f"the statement of {self.person(timing.speaker)['name'] or 'someone unnamed'}"
        moment = self.wall_clock().astimezone()
        return f"{whose}, timed at {moment:%H:%M}: {format_clock(timing.elapsed())}"

    def _awaiting_mark(self) -> bool:
        return isinstance(self.timing, DrillTiming) and self.timing.stopped

    def _drop_unmarked_try(self) -> None:
        if self._awaiting_mark():
            self.timing.discard()
            self.app.notify("The last try was not marked, so it was not kept.")

    def action_mark(self, mark_value: str) -> None:
        """Mark the stopped drill try, which saves it."""
        if self.selected != OBJECTIONS:
            return
        if not self._awaiting_mark():
            self.app.notify("Time a try first: space starts, space stops; then mark it.")
            return
        mark = Mark(mark_value)
        timing = self.timing

        def save() -> None:
            try:
                told = timing.save(self.session, mark)
            except LockHeld:
                raise
            except StoreError as error:
                self.app.notify(
                    f"The try was not saved: {error.message}", severity="error", timeout=10
                )
                return
            self.app.notify(f"{told} n for the next objection.")
            self._saved()

        self.drill.marked(mark)
        self.save_when_free(save, self._in_words(timing))
        if timing.stopped:  # waits for the plan: no longer this pane's to mark or drop
            self.timing = None
            self.show_details()
            self.update_clock()

    def _next_objection(self) -> None:
        if self.running:
            self.app.notify("Stop the try first (space), then mark it.")
            return
        self._drop_unmarked_try()
        self.drill.next()
        self.show_selected()

    def _ask_about_a_short_attempt(self) -> None:
        """Save a very short attempt only if the person wants it (by mistake, most often)."""
        self.update_clock()
        timing = self.timing

        def decide(discard: bool | None) -> None:
            if discard:
                timing.discard()
                self.show_selected()
                self.app.notify("Attempt discarded.")
            else:
                self._save()

        question = (
            f"That attempt took only {format_clock(timing.elapsed())}, under a quarter of"
            " the target or 10 seconds: started or stopped by mistake? Discard it?"
        )
        self.app.push_screen(ConfirmScreen(question, "Yes, discard"), decide)

    def action_next_speaker(self) -> None:
        if self.selected == OBJECTIONS and self.drill is not None:
            self._next_objection()
            return
        if not self.running or not isinstance(self.timing, MeetingTiming):
            return
        if self.timing.next_speaker():
            self._save()
            return
        self._rang = False
        self._shown = ""
        self._show_turn()
        self.update_clock()

    def _show_turn(self) -> None:
        timing = self.timing
        person = self.person(timing.speaker)
        upcoming = self.person(timing.upcoming)
        names = self._names()
        done = " · ".join(split_text(s.person_id, s.seconds, names) for s in timing.splits)
        self._show_statement(person)
        self._set_info(
            f"Speaking: {person['name']} (target {format_duration(person['target_seconds'])})"
            f" · next: {upcoming['name'] if upcoming else 'nobody, n ends'}"
            f" · planned total {format_duration(timing.planned_total())}"
            + (f"\n{done}" if done else "")
        )

    def stop_and_keep(self) -> None:
        """Stop the running timer and save the attempt, as "keep" does (before quitting)."""
        self.timing.stop()
        self._save()

    def action_interrupt(self) -> None:
        if self.running:
            self._ask_keep_or_discard()

    def _ask_keep_or_discard(self, then_select: str | None = None) -> None:
        if isinstance(self.timing, MeetingTiming):
            who = "the whole meeting"
        elif isinstance(self.timing, DrillTiming):
            who = "this objection"
        else:
            who = self.person(self.selected)["name"] or "this person"

        def decide(choice: str | None) -> None:
            if choice is None:
                return
            self.timing.stop()
            if choice == "keep" and isinstance(self.timing, DrillTiming):
                self._show_drill()
                self.update_clock()
                self.app.notify("Mark the try to keep it: w went well, x needs work.")
                return
            if choice == "keep":
                self._save()
            else:
                self.timing.discard()
                self._tell_strip()
                self.app.notify("Attempt discarded.")
            if then_select is not None:
                self.selected = then_select
                self._highlight(then_select)
            self.show_selected()

        self.app.push_screen(KeepOrDiscardScreen(who), decide)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "scroll_text":
            return self.running
        if action == "delete_attempt":  # shown in the keys only while the history has the focus
            history = self.query_one("#history-list", OptionList)
            return bool(self.entries) and not self.running and self.screen.focused is history
        return True

    def action_delete_attempt(self) -> None:
        """Delete the attempt highlighted in the history, after asking."""
        listing = self.query_one("#history-list", OptionList)
        highlighted = listing.highlighted
        if highlighted is None or highlighted >= len(self.entries):
            return
        entry = self.entries[highlighted]
        if entry.in_run:
            self.app.notify(
                "That time is a turn in a run-through of the whole meeting: to delete it,"
                " choose Whole meeting and delete the run-through."
            )
            return
        noun = {"attempts": "attempt", "runs": "run-through", "objection_tries": "try"}
        what = f"the {noun[entry.table]} of {when_timed(entry.started_at)}"

        def decide(delete: bool | None) -> None:
            if delete:
                self.save_when_free(remove, f"the deletion of {what}")

        def remove() -> None:
            try:
                self.session.delete(entry.table, entry.record_id)
            except LockHeld:
                raise
            except StoreError as error:
                self.app.notify(
                    f"It was not deleted: {error.message}", severity="error", timeout=10
                )
                return
            if not self.running:  # else the history is shown anew when the timer stops
                self.show_details()
                if self.entries:  # on the attempt that took its place
                    listing.highlighted = min(highlighted, len(self.entries) - 1)
            self.app.notify(Content(f"Deleted {what}."))
            self.post_message(AttemptSaved())

        question = (
            f"Delete {what} ({format_clock(entry.seconds)})? It is taken out of the history"
            " and of readiness, and cannot be brought back."
        )
        self.app.push_screen(ConfirmScreen(question), decide)

    def action_scroll_text(self, direction: str) -> None:
        text = self.query_one("#rehearse-text", VerticalScroll)
        getattr(text, f"scroll_{direction}")(animate=False)

    def action_toggle_bell(self) -> None:
        self.bell = not self.bell
        self.app.notify(f"Bell at red: {'on' if self.bell else 'off'}.")

    def action_toggle_tenths(self) -> None:
        self.tenths = not self.tenths
        self._shown = ""
        self.update_clock()
        if self.running:
            self._start_ticking()
