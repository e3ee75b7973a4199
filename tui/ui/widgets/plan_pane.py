"""The Plan pane: the parts of the plan in a list, and the chosen part's form beside it."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.approaches import APPROACH_NAMES, APPROACHES, COMPARISON_LINK
from tui.core.countries import COUNTRY_NAMES
from tui.core.dates import spelled_out
from tui.core.plan import (
    AFTERCARE,
    CHECKLIST,
    MEETING,
    OBJECTIONS,
    PARTS_BY_TABLE,
    PEOPLE,
    PLAN,
    SAFETY,
    SPECIALIST,
    TASKS,
    TREATMENTS,
    CutText,
    ValidationError,
    counted,
    display_name,
    field_of,
    format_duration,
    readiness,
    with_article,
)
from tui.core.rehearsal import GENERAL_PACE, speaking_seconds
from tui.core.safe_text import shown_path
from tui.core.session import FieldKey, PlanSession
from tui.core.store import LockHeld, StoreError
from tui.core.tasks import DueTask, days_left, tasks_due
from tui.ui.messages import OpenGuide, OpenRehearse, PlanChanged
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.widgets.record_form import GuideLink, RecordForm

NAV_TEXT_WIDTH = 30  # until the list is laid out
LIST_PARTS = (PEOPLE, TREATMENTS, OBJECTIONS, TASKS, CHECKLIST)
LOCK_CHECK_SECONDS = 1.0  # how often the thread waiting for a held lock looks up
SINGLE_PARTS = (SPECIALIST, MEETING, SAFETY, AFTERCARE)


class ListEntry(NamedTuple):
    """What an item in the plan's list stands for. `id` is the id of its option in the list,
    and `parse` reads one back:

    ========== ============================== =====================
    kind       the item                       id
    ========== ============================== =====================
    overview   the Overview                   ``overview``
    part       a list part's heading          ``part:people``
    add        its "+ Add" line               ``add:people``
    record     one record of a list part      ``people:<record id>``
    single     a part with one record         ``specialist``
    ========== ============================== =====================
    """

    kind: str
    table: str = ""
    record_id: str = ""

    @classmethod
    def parse(cls, option_id: str) -> "ListEntry":
        if option_id == "overview":
            return OVERVIEW
        head, colon, rest = option_id.partition(":")
        if not colon:
            return cls("single", head)
        if head in ("part", "add"):
            return cls(head, rest)
        return cls("record", head, rest)

    @property
    def id(self) -> str:
        if self.kind == "overview":
            return "overview"
        if self.kind == "single":
            return self.table
        if self.kind == "record":
            return f"{self.table}:{self.record_id}"
        return f"{self.kind}:{self.table}"


OVERVIEW = ListEntry("overview")


class PlanNav(OptionList):
    # Priority bindings act as soon as the key arrives, so keys typed straight after enter
    # or "a" already go to the new form rather than to this list.
    BINDINGS = [
        Binding("a", "add", "Add", id="plan.add", priority=True),
        Binding("delete", "delete", "Delete", id="plan.delete", priority=True),
        Binding(
            "shift+up", "move(-1)", "Speak earlier", show=False, id="plan.earlier", priority=True
        ),
        Binding("shift+down", "move(1)", "Speak later", show=False, id="plan.later", priority=True),
        Binding("enter", "select", "Edit", show=False, priority=True),
        Binding(
            "h",
            "changes",
            "Changes: who changed what",
            show=False,
            id="plan.changes",
            priority=True,
        ),
        Binding("down", "cursor_down", "Next item", show=False, priority=True),
        Binding("up", "cursor_up", "Previous item", show=False, priority=True),
        Binding("home", "first", "First item", show=False, priority=True),
        Binding("end", "last", "Last item", show=False, priority=True),
    ]

    @property
    def pane(self) -> "PlanPane":
        return self.query_ancestor(PlanPane)

    @property
    def highlighted_entry(self) -> ListEntry:
        if self.highlighted is None:
            return OVERVIEW
        option_id = self.get_option_at_index(self.highlighted).id
        return ListEntry.parse(option_id) if option_id else OVERVIEW

    def on_resize(self) -> None:
        self.pane.rewrap_nav()

    def action_select(self) -> None:
        self.pane.activate(self.highlighted_entry)

    def action_add(self) -> None:
        self.pane.add_here(self.highlighted_entry)

    def action_delete(self) -> None:
        self.pane.delete_here(self.highlighted_entry)

    def action_move(self, step: int) -> None:
        self.pane.move_here(self.highlighted_entry, step)

    def action_changes(self) -> None:
        self.pane.show_changes()


def hanging(prefix: str, text: str, width: int) -> Content:
    """The prefix, then the text wrapped to the width, its following lines indented as far
    as the prefix goes."""
    lines = Content(text).wrap(max(1, width - len(prefix)))
    indents = [prefix] + [" " * len(prefix)] * (len(lines) - 1)
    return Content("\n").join(
        Content(indent) + line for indent, line in zip(indents, lines, strict=False)
    )


def nav_options(session: PlanSession, today: date, width: int = NAV_TEXT_WIDTH) -> list[Option]:
    """The plan's list, for a list whose lines are `width` columns wide."""
    plan = session.plan
    items = readiness(plan, today)
    done = sum(item.done for item in items)
    options = [Option(f"Overview · ready {done}/{len(items)}", id=OVERVIEW.id)]
    for part in LIST_PARTS:
        heading = ListEntry("part", part.table)
        options.append(Option(Content.styled(part.title, "bold"), id=heading.id))
        records = plan.people if part is PEOPLE else plan.lists[part.table]
        for number, record in enumerate(records, start=1):
            label = display_name(part, record)
            prefix = f"  {number}. " if part is PEOPLE else "  · "
            entry = ListEntry("record", part.table, record["id"])
            options.append(Option(hanging(prefix, label, width), id=entry.id))
        add_label = f"  + Add {with_article(part.item_name.split()[-1])}"
        options.append(Option(add_label, id=ListEntry("add", part.table).id))
    for part in SINGLE_PARTS:
        single = ListEntry("single", part.table)
        options.append(Option(Content.styled(part.title, "bold"), id=single.id))
    return options


class Overview(VerticalScroll, can_focus=False):
    """The plan at a glance: its name, the days left and the tasks due, the approach, the
    people in speaking order, readiness, and the exports. Enter on a task opens it, on an
    approach chooses it, on a readiness item goes where it is done (the guide, once it is),
    on an export asks for a file."""

    # A stable gutter: lists that wrap keep the width their height was measured at.
    DEFAULT_CSS = """
    Overview {
        scrollbar-gutter: stable;
    }
    Overview OptionList {
        height: auto;
        border: none;
        overflow-y: hidden;
    }
    """

    def __init__(self, session: PlanSession, today: date, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.today = today

    def compose(self) -> ComposeResult:
        plan = self.session.plan
        yield RecordForm(
            PLAN,
            "plan",
            plan.records["plan"],
            "Overview",
            plan.notes_for("plan", "plan"),
            id="plan-title-form",
        )
        yield Static("The meeting", classes="form-heading")
        yield Static(meeting_day(self.session, self.today), id="meeting-day")
        due = tasks_due(plan, self.today)
        if due:
            yield OptionList(*(due_task_option(task) for task in due), id="tasks-due", markup=False)
        yield Static("The approach: enter chooses one", classes="form-heading")
        yield OptionList(*approach_options(self.session), id="approach", markup=False)
        yield GuideLink(COMPARISON_LINK, id="approach-guide")
        yield Static("Speaking order", classes="form-heading")
        yield Static(people_summary(self.session), id="people-summary")
        yield Static(
            "Ready to hold the meeting? Enter on an item goes where to do it.",
            classes="form-heading",
        )
        yield OptionList(*readiness_options(self.session, self.today), id="readiness", markup=False)
        yield Static("To print or to keep in a calendar", classes="form-heading")
        yield OptionList(
            Option("Export for printing: a run sheet and everyone's statement", id="html"),
            Option("Export to calendar: the meeting, due tasks and rehearsals", id="ics"),
            id="exports",
            markup=False,
        )
        yield Static("Who can read this plan", classes="form-heading")
        yield Static("Looking…", id="who-can-read")

    def on_mount(self) -> None:
        chosen = self.session.plan.records["meeting"]["approach"]
        # None when the Overview was replaced by another page before it was shown.
        for approaches in self.query("#approach").results(OptionList):
            approaches.highlighted = APPROACH_NAMES.index(chosen)
        self.run_worker(self._find_who_can_read, thread=True, group="who-can-read")

    class ReadersFound(Message):
        """Who can read the plan file, in words (see permissions.readers_in_words)."""

        def __init__(self, readers: list[str]) -> None:
            super().__init__()
            self.readers = readers

    def _find_who_can_read(self) -> None:
        """Look up, off the screen, who can read the plan file (the members of groups and
        the administrators may take a moment to list)."""
        from tui.core.permissions import readers_in_words, who_can_read

        self.post_message(
            self.ReadersFound(readers_in_words(who_can_read(self.session.store.path)))
        )

    def on_overview_readers_found(self, event: ReadersFound) -> None:
        text = (
            "\n".join(event.readers) or "Nobody yet: the plan file is made with the first change."
        )
        for line in self.query("#who-can-read").results(Static):
            line.update(Content(text))


def meeting_day(session: PlanSession, today: date) -> Content:
    """When the meeting is, the days left, and whether any task is due soon."""
    when = session.plan.records["meeting"]["when"]
    days = days_left(session.plan, today)
    if not when:
        line = "No date yet: set the date and time under Meeting."
    elif days is None:
        line = f"“{when}” is not a date yet: write it like 2026-12-20 18:30 under Meeting."
    elif days > 1:
        line = f"{spelled_out(when)}: {days} days left."
    elif days == 1:
        line = f"{spelled_out(when)}: tomorrow."
    elif days == 0:
        line = f"{spelled_out(when)}: today."
    else:
        line = f"{spelled_out(when)}: {counted(-days, 'day', 'days')} ago."
    if tasks_due(session.plan, today):
        tasks = "Tasks overdue or due in the next seven days (enter opens one):"
    else:
        tasks = "No task is overdue or due in the next seven days."
    return Content(f"{line}\n{tasks}")


def due_task_option(due: DueTask) -> Option:
    if due.overdue:
        when = (f"✘ {counted(-due.days, 'day', 'days')} overdue", "$error")
    elif due.days == 0:
        when = ("· due today", "$warning")
    elif due.days == 1:
        when = ("· due tomorrow", "")
    else:
        when = (f"· in {due.days} days", "")
    title = due.task["title"] or "(unnamed task)"
    prompt = Content.assemble(when, f": {title} ", (f"— {due.owner}", "$text-muted"))
    return Option(prompt, id=due.task["id"])


def approach_options(session: PlanSession) -> list[Option]:
    chosen = session.plan.records["meeting"]["approach"]
    options = []
    for approach in APPROACHES:
        mark = "● " if approach.name == chosen else "○ "
        name = approach.name[:1].upper() + approach.name[1:]
        prompt = Content.assemble(
            mark, (name, "bold"), "\n  ", (approach.description, "$text-muted")
        )
        options.append(Option(prompt, id=approach.name))
    return options


def people_summary(session: PlanSession) -> Content:
    people = session.plan.people
    if not people:
        return Content("Nobody yet. Choose “+ Add a person” in the list.")
    lines = []
    for number, person in enumerate(people, start=1):
        statement = person["statement"].strip()
        if statement:
            pace = session.plan.pace_of(person["id"])
            length = f"about {format_duration(speaking_seconds(statement, pace))}"
            if pace.tries:
                length += " at their pace"
        else:
            length = "no statement yet"
        target = format_duration(person["target_seconds"])
        role = "" if person["role"] == "member" else f", {person['role']}"
        name = person["name"] or "(unnamed person)"
        lines.append(Content(f"{number}. {name}{role} — {length} of {target}"))
    return Content("\n").join(lines)


def readiness_options(session: PlanSession, today: date) -> list[Option]:
    options = []
    for item in readiness(session.plan, today):
        mark = ("✔ ", "$success") if item.done else ("✘ ", "$error")
        detail = f" — {item.detail}" if item.detail and not item.done else ""
        options.append(Option(Content.assemble(mark, item.label, (detail, "$text-muted"))))
    return options


class WaitingChange(NamedTuple):
    """A change of records held up by another program's lock; `what` names it."""

    change: Callable[[], None]
    what: str


class PlanPane(Horizontal):
    """The plan's parts in a list (PlanNav), the highlighted item's page beside it, and a
    status line along the top.

    `session` is the plan session (None while the file cannot be opened). `showing` is the
    ListEntry whose page is shown and `page` that page: the Overview, a RecordForm, or a
    line saying how to add a record. Highlighting an item shows its page at once; enter or
    a moves into it. Forms hand up their edits (RecordForm.Edited), and this pane saves
    them, or shows why a value was refused under its field. Each second
    check_outside_changes takes in other sessions' saves: a page with the focus in it keeps
    its widgets and takes the new values into every field but the one being typed in; any
    other page is built again. Every change posts PlanChanged for the main screen.

    While another program holds the plan's lock, edits are kept in the session without
    trying to save (`waiting_for_lock`), a thread waits for the lock to be let go, and
    then they are saved (save_kept_edits); the screen goes on meanwhile.
    `wall_clock` gives the time now: readiness and the tasks due count from its local day.
    """

    class LockFree(Message):
        """The plan's lock was let go: the edits kept meanwhile can be saved."""

    def __init__(
        self, wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC), **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.wall_clock = wall_clock
        self.session: PlanSession | None = None
        self.showing: ListEntry | None = None
        self.page: Widget | None = None
        self.told_about: set[CutText] = set()
        self.waiting_for_lock = False
        self.save_problem = ""  # why the last save failed, while edits wait to be saved
        self._kept_edits: list[tuple[RecordForm, str]] = []  # shown as saved once they are
        self._waiting_changes: list[WaitingChange] = []  # made once the lock is let go

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-status")  # docked along the top
        yield PlanNav(id="plan-nav", markup=False)
        yield Vertical(id="plan-page")

    @property
    def today(self) -> date:
        return self.wall_clock().astimezone().date()

    @property
    def nav(self) -> PlanNav:
        return self.query_one(PlanNav)

    def attach(self, session: PlanSession | None, problem: str = "") -> None:
        self.session = session
        if session is None:
            self.set_status(problem, error=True)
            return
        if session.read_only:
            source = shown_path(session.store.source)
            self.set_status(f"Read-only: showing {source}. Changes are not saved.")
        else:
            self.set_status("Changes save themselves as you type.")
        self.rebuild_nav(OVERVIEW)
        self.tell_about_cut_text()

    def tell_about_cut_text(self) -> None:
        """Say once that text in the file is longer than its field allows, and where."""
        new = [cut for cut in self.session.plan.cut if cut not in self.told_about]
        if not new:
            return
        self.told_about.update(new)
        fields = "; ".join(
            f"{cut.spec.label} ({self._place(cut.table, cut.record_id)})" for cut in new
        )
        self.app.notify(
            f"Some text in the plan file is longer than Kindred allows, so only its beginning "
            f"is shown: {fields}. The file keeps all of it until you change the field; a note "
            "under the field says more.",
            severity="warning",
            timeout=30,
        )

    def _place(self, table: str, record_id: str) -> str:
        """The name of a record, as the list shows it, or its part's title."""
        part = PARTS_BY_TABLE[table]
        record = None if part.singleton else self.session.plan.record(table, record_id)
        return display_name(part, record) if record else part.title

    def set_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#plan-status", Static)
        status.update(Content(message))
        status.set_class(error, "error")

    def rebuild_nav(self, keep: ListEntry | None = None) -> Widget:
        """Rebuild the list, highlight `keep` (or what was highlighted) and show its page."""
        self._set_nav_options(keep or self.nav.highlighted_entry)
        self.post_message(PlanChanged())
        return self.show(self.nav.highlighted_entry, force=True)

    def rewrap_nav(self) -> None:
        """Wrap the list's names again for the width it now has."""
        if self.session is not None:
            self._set_nav_options(self.nav.highlighted_entry)

    def _set_nav_options(self, keep: ListEntry) -> None:
        width = self.nav.scrollable_content_region.width or NAV_TEXT_WIDTH
        options = nav_options(self.session, self.today, width)
        ids = [option.id for option in options]
        with self.nav.prevent(OptionList.OptionHighlighted):
            self.nav.set_options(options)
            self.nav.highlighted = ids.index(keep.id) if keep.id in ids else 0

    def show(self, entry: ListEntry, force: bool = False) -> Widget | None:
        """Show the page for a list item. Its widgets exist when this returns, so the focus
        can move into them at once and keys typed straight after land there."""
        if entry == self.showing and not force:
            return None
        self.showing = entry
        page = self.query_one("#plan-page")
        page.remove_children()
        self.page = self._page_for(entry)
        page.mount(self.page)
        if isinstance(self.page, RecordForm):
            self.page.mount_fields()
        return self.page

    def _page_for(self, entry: ListEntry):
        plan = self.session.plan
        if entry.kind == "overview":
            return Overview(self.session, self.today)
        part = PARTS_BY_TABLE[entry.table]
        if entry.kind in ("part", "add"):
            keys = "enter or a" if entry.kind == "add" else "a"
            return Static(
                Content(f"{part.title}: press {keys} to add {with_article(part.item_name)}."),
                classes="form-heading",
            )
        if entry.kind == "single":
            notes = plan.notes_for(part.table, part.table)
            yours = self._your_versions(part.table, part.table)
            return RecordForm(
                part,
                part.table,
                plan.records[part.table],
                part.title,
                notes,
                your_versions=yours,
            )
        record = plan.record(part.table, entry.record_id)
        heading = f"{part.item_name.capitalize()}: {display_name(part, record)}"
        notes = plan.notes_for(part.table, entry.record_id)
        people = {person["id"]: display_name(PEOPLE, person) for person in plan.people}
        yours = self._your_versions(part.table, entry.record_id)
        pace = plan.pace_of(entry.record_id) if part.table == "people" else GENERAL_PACE
        return RecordForm(part, entry.record_id, record, heading, notes, people, yours, pace=pace)

    def _your_versions(self, table: str, record_id: str) -> dict[str, object]:
        return {
            key.field: value
            for key, value in self.session.your_versions.items()
            if (key.table, key.record_id) == (table, record_id)
        }

    @on(OptionList.OptionHighlighted, "#plan-nav")
    def _highlighted(self) -> None:
        # The list may have moved on since this message was sent: show what it shows now.
        self.show(self.nav.highlighted_entry)

    def activate(self, entry: ListEntry) -> None:
        """Enter on a list item: add a record on "+ Add", or go into the item's form. A
        part's heading only names the part."""
        if entry.kind == "add":
            self.add_record(entry.table)
            return
        self.show(entry)  # keys typed fast: the list may be ahead of the page it shows
        fields = self.page.query(".field") if self.page is not None else None
        if fields:
            self.screen.set_focus(fields.first())

    @on(OptionList.OptionSelected, "#readiness")
    def _open_readiness_item(self, event: OptionList.OptionSelected) -> None:
        """An item not yet done opens where it is put right; one done, the guide on it."""
        item = readiness(self.session.plan, self.today)[event.option_index]
        place, _, field = item.fixed_in.partition("#")
        if item.done or not place:
            section, _, heading = item.guide_link.partition("#")
            self.post_message(OpenGuide(section, heading))
        elif place.startswith("rehearse:"):
            self.post_message(OpenRehearse(place.removeprefix("rehearse:")))
        else:
            page = self.rebuild_nav(ListEntry.parse(place))
            fields = page.query(f"#field-{field}") if field and page is not None else None
            self.screen.set_focus(fields.first() if fields else self.nav)

    @on(OptionList.OptionSelected, "#tasks-due")
    def _open_task(self, event: OptionList.OptionSelected) -> None:
        form = self.rebuild_nav(ListEntry("record", TASKS.table, event.option.id))
        if isinstance(form, RecordForm):
            self.screen.set_focus(form.first_field)

    @on(OptionList.OptionSelected, "#approach")
    def _choose_approach(self, event: OptionList.OptionSelected) -> None:
        if not self._writable():
            return
        try:
            self.session.set_field(
                FieldKey(MEETING.table, MEETING.table, "approach"), event.option.id
            )
        except LockHeld:
            self._wait_for_lock()
            return
        except StoreError as error:
            self.set_status(f"Not saved: {error.message}", error=True)
            return
        self.set_status(f"Approach: {event.option.id}. Saved; the tasks follow it.")
        overview = self.rebuild_nav(OVERVIEW)

        def back_on_the_approach() -> None:  # once the new Overview is composed
            approaches = overview.query_one("#approach", OptionList)
            approaches.highlighted = event.option_index
            self.screen.set_focus(approaches)

        self.call_after_refresh(back_on_the_approach)

    @on(OptionList.OptionSelected, "#exports")
    def _export(self, event: OptionList.OptionSelected) -> None:
        from tui.ui.screens.export import ask_and_export  # loaded when first used

        ask_and_export(self.app, event.option.id)

    def choose_country(self, country: str) -> None:
        """Save the country chosen in the question at the first start."""
        if not self._writable():
            return
        try:
            self.session.set_field(FieldKey(PLAN.table, PLAN.table, "country"), country)
        except LockHeld:
            self._wait_for_lock()
        except StoreError as error:
            self.set_status(f"Not saved yet: {error.message}", error=True)
        else:
            self.set_status(f"Country: {COUNTRY_NAMES[country]}. Saved.")
        self.rebuild_nav()

    def add_here(self, entry: ListEntry) -> None:
        """Add a record of the kind the highlighted item belongs to (people by default)."""
        list_tables = [part.table for part in LIST_PARTS]
        self.add_record(entry.table if entry.table in list_tables else "people")

    def add_record(self, table: str) -> None:
        if not self._writable():
            return
        asked_at = self.nav.highlighted_entry

        def add() -> None:
            try:
                record_id = self.session.add(table)
            except LockHeld:
                raise
            except StoreError as error:
                self.set_status(error.message, error=True)
                return
            self.set_status("Added. Saved.")
            if self.nav.highlighted_entry != asked_at or self.screen.focused is not self.nav:
                self.rebuild_nav()  # the person has gone on meanwhile: leave them there
                return
            form = self.rebuild_nav(ListEntry("record", table, record_id))
            self.screen.set_focus(form.first_field)

        self.change_when_free(add, f"a new {PARTS_BY_TABLE[table].item_name}")

    def delete_here(self, entry: ListEntry) -> None:
        if entry.kind != "record":
            self.app.notify("Choose a person, treatment option, objection, task or item to delete.")
            return
        table, record_id = entry.table, entry.record_id
        part = PARTS_BY_TABLE[table]
        if not self._writable():
            return
        name = display_name(part, self.session.plan.record(table, record_id))
        question = f"Delete the {part.item_name} “{name}”?"
        if table == "people":
            question += " Their statement and rehearsal history go too."

        def delete_if_confirmed(confirmed: bool | None) -> None:
            if confirmed:
                self.change_when_free(delete, f"the deletion of “{name}”")

        def delete() -> None:
            try:
                self.session.delete(table, record_id)
            except LockHeld:
                raise
            except StoreError as error:
                self.set_status(error.message, error=True)
                return
            self.set_status(f"Deleted “{name}”. Saved.")
            self._show_change(ListEntry("part", table))

        self.app.push_screen(ConfirmScreen(question), delete_if_confirmed)

    def move_here(self, entry: ListEntry, step: int) -> None:
        if entry.kind != "record" or entry.table != "people" or not self._writable():
            return

        def move() -> None:
            try:
                self.session.move_person(entry.record_id, step)
            except LockHeld:
                raise
            except StoreError as error:
                self.set_status(error.message, error=True)
                return
            self.set_status("Speaking order changed. Saved.")
            self._show_change(entry)

        self.change_when_free(move, "the new speaking order")

    def _show_change(self, keep: ListEntry) -> None:
        """After a change of records, the list anew, and the page too unless someone is in it."""
        if self.page is not None and self.page.has_focus_within:
            self._refresh_nav_labels()
        else:
            self.rebuild_nav(keep)

    def change_when_free(self, change: Callable[[], None], what: str) -> None:
        """Make a change of records now or, while another program holds the plan's lock, as
        soon as it lets go (in the order asked). `change` raises LockHeld having changed
        nothing; `what` names the change, as in "a new person"."""
        if not self.waiting_for_lock:
            try:
                change()
                return
            except LockHeld:
                pass
        self._waiting_changes.append(WaitingChange(change, what))
        self._wait_for_lock(f"Waiting for another save to finish, then saving {what}.")

    def waiting_in_words(self) -> list[str]:
        """The changes still waiting for the plan's lock, named."""
        return [waiting.what for waiting in self._waiting_changes]

    def _writable(self) -> bool:
        if self.session is None or self.session.read_only:
            self.app.notify("This plan is open read-only.", severity="warning")
            return False
        return True

    def on_record_form_edited(self, event: RecordForm.Edited) -> None:
        self._save_edit(event.form, event.field, event.value)
        self._refresh_nav_labels()

    def save_now(self) -> str:
        """Save whatever is typed but not yet saved (before quitting); why some could not be
        saved, or "" if all is saved."""
        for form in self.query(RecordForm):
            for field, value in form.edits_on_screen().items():
                self._save_edit(form, field, value)
        if self.session is None:
            return ""
        if self.session.unsaved or self._waiting_changes:
            self._save_what_waits()
        if self.session.unsaved or self._waiting_changes or self.session.edits_of_deleted:
            return self.save_problem
        return ""

    def _save_edit(
        self, form: RecordForm, field: str, raw_value: object, put_back: bool = False
    ) -> None:
        """Save an edit of a field, or (put_back) an earlier value from its history."""
        if not self._writable():
            return
        key = FieldKey(form.part.table, form.record_id, field)
        if key.table == PEOPLE.table and field == "order":
            self.change_when_free(
                lambda: self._put_in_place(form, raw_value),
                f"the place in the speaking order of “{form.heading}”: {raw_value}",
            )
            return
        try:
            if self.waiting_for_lock:
                self.session.keep_field(key, raw_value)
                self._kept_edits.append((form, field))
                return
            save = self.session.restore_field if put_back else self.session.set_field
            value = save(key, raw_value)
        except ValidationError as error:
            form.show_error(field, str(error))
            return
        except LockHeld:
            self._kept_edits.append((form, field))
            self._wait_for_lock()
            return
        except StoreError as error:
            self._not_saved(error)
            return
        form.saved(field, value)
        self.set_status("All changes saved.")

    def _put_in_place(self, form: RecordForm, typed_place: object) -> None:
        try:
            place = self.session.place_person(form.record_id, typed_place)
        except ValidationError as error:
            form.show_error("order", str(error))
            return
        except LockHeld:
            raise
        except StoreError as error:
            self._not_saved(error)
            return
        form.show_saved("order", place)
        form.saved("order", place)
        self.set_status("All changes saved.")

    def _not_saved(self, error: StoreError) -> None:
        self.save_problem = error.message
        self.set_status(f"Not saved: {error.message} Your text stays on screen.", error=True)

    def _wait_for_lock(
        self,
        status: str = "Waiting for another save to finish. What you type is kept, and saved "
        "as soon as it can be.",
    ) -> None:
        """Another program holds the plan: keep the edits and changes, and wait off the screen."""
        self.save_problem = "Another program is using the plan file, and Kindred is waiting."
        self.set_status(status)
        if not self.waiting_for_lock:
            self.waiting_for_lock = True
            self.run_worker(self._until_the_lock_is_free, thread=True, group="lock")

    def _until_the_lock_is_free(self) -> None:
        worker = get_current_worker()
        store = self.session.store
        while not worker.is_cancelled:
            if store.wait_until_free(LOCK_CHECK_SECONDS):
                self.post_message(self.LockFree())
                return

    def on_plan_pane_lock_free(self) -> None:
        self.waiting_for_lock = False
        self._save_what_waits()

    def _save_what_waits(self) -> None:
        """Save the kept edits, then make the waiting changes in the order asked."""
        self.save_kept_edits()
        while self._waiting_changes:
            try:
                self._waiting_changes[0].change()
            except LockHeld:
                self._wait_for_lock()
                return
            self._waiting_changes.pop(0)

    def save_kept_edits(self) -> None:
        """Save the edits the session kept, and show them as saved."""
        edits = dict(self.session.unsaved)
        try:
            self.session.save_unsaved()
        except LockHeld:
            self._wait_for_lock()
            return
        except StoreError as error:
            self._not_saved(error)
            return
        for form, field in self._kept_edits:
            key = FieldKey(form.part.table, form.record_id, field)
            if key in edits and key not in self.session.unsaved:
                form.saved(field, edits[key])
        self._kept_edits = []
        self.set_status("All changes saved.")
        self._refresh_nav_labels()  # a name, the approach's tasks: the list may change

    def _refresh_nav_labels(self) -> None:
        """New names, order and readiness count in the list, leaving the page and focus alone."""
        self._set_nav_options(self.nav.highlighted_entry)
        self.post_message(PlanChanged())

    def refresh_after_rehearsal(self) -> None:
        """A rehearsal was saved: readiness may have changed."""
        if self.page is not None and self.page.has_focus_within:
            self._set_nav_options(self.nav.highlighted_entry)
        else:
            self.rebuild_nav()

    def on_record_form_typing(self) -> None:
        status = self.query_one("#plan-status", Static)
        busy = self.waiting_for_lock or status.has_class("error") or self.session.read_only
        if not busy:  # those say more than this
            self.set_status("Saved as soon as you pause typing.")

    def show_changes(self) -> None:
        """Who changed what, newest first."""
        from tui.ui.screens.changes import ChangesScreen  # loaded when first used

        if self.session is None:
            self.app.notify("The plan is not open, so there are no changes to show.")
            return
        self.app.push_screen(ChangesScreen(self.session))

    def on_record_form_earlier_wanted(self, event: RecordForm.EarlierWanted) -> None:
        """Show a field's earlier values; the one chosen is put back, as a change of its own."""
        from tui.core.history import earlier_values
        from tui.ui.screens.changes import EarlierValuesScreen  # loaded when first used

        form, field = event.form, event.field
        if self.session is None:
            return
        key = FieldKey(form.part.table, form.record_id, field)
        values = earlier_values(self.session.history, key.table, key.record_id, key.field)
        current = self.session.plan.record(
            key.table, None if form.part.singleton else key.record_id
        )
        values = [value for value in values if current is None or value != current.get(field)]

        def put_back(chosen: tuple[object] | None) -> None:
            if chosen is not None:
                form.show_saved(field, chosen[0])
                self._save_edit(form, field, chosen[0], put_back=True)
                self._refresh_nav_labels()

        spec = field_of(form.part, field)
        self.app.push_screen(EarlierValuesScreen(spec, values, self.session), put_back)

    def on_record_form_left(self) -> None:
        self.screen.set_focus(self.nav)

    def check_outside_changes(self) -> None:
        """Called every second: take in saves made by other sessions on the same file."""
        if self.session is None or not self.session.changed_on_disk():
            return
        try:
            overwritten = self.session.reload_from_disk()
        except LockHeld:
            return  # another program is saving: look again next time
        except StoreError as error:
            self.set_status(error.message, error=True)
            return
        for key in overwritten:
            label = field_of(PARTS_BY_TABLE[key.table], key.field).label
            self.app.notify(
                f"“{label}” ({self._place(key.table, key.record_id)}) was changed in another "
                "session after your edit; their later save is shown, and your version is "
                "under the field (F8 puts it back).",
                severity="warning",
                timeout=10,
            )
        self.tell_about_cut_text()
        if self.page is None or not self.page.has_focus_within:
            self.rebuild_nav()
            return
        forms = [self.page] if isinstance(self.page, RecordForm) else self.page.query(RecordForm)
        for form in forms:
            record = self.session.plan.record(
                form.part.table, None if form.part.singleton else form.record_id
            )
            if record is not None:
                form.take_outside_changes(record)
                for key in overwritten:
                    if (key.table, key.record_id) == (form.part.table, form.record_id):
                        form.keep_your_version(key.field, self.session.your_versions[key])
        self._refresh_nav_labels()
