"""The Plan pane: the parts of the plan in a list, and the chosen part's form beside it."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.plan import (
    AFTERCARE,
    MEETING,
    OBJECTIONS,
    PARTS_BY_TABLE,
    PEOPLE,
    PLAN,
    SPECIALIST,
    TREATMENTS,
    ValidationError,
    display_name,
    format_duration,
    readiness,
    with_article,
)
from tui.rehearsal import speaking_seconds
from tui.screens.confirm import ConfirmScreen
from tui.session import FieldKey, PlanSession
from tui.store import SaveFailed, StoreError
from tui.widgets.record_form import RecordForm

LIST_PARTS = (PEOPLE, TREATMENTS, OBJECTIONS)
SINGLE_PARTS = (SPECIALIST, MEETING, AFTERCARE)


class PlanNav(OptionList):
    BINDINGS = [
        Binding("a", "add", "Add", id="plan.add"),
        Binding("delete", "delete", "Delete", id="plan.delete"),
        Binding("shift+up", "move(-1)", "Speak earlier", show=False, id="plan.earlier"),
        Binding("shift+down", "move(1)", "Speak later", show=False, id="plan.later"),
        Binding("enter", "select", "Edit", show=False),
        Binding("down", "cursor_down", "Next item", show=False),
        Binding("up", "cursor_up", "Previous item", show=False),
    ]

    def action_add(self) -> None:
        self.post_message(PlanPane.AddRequested(self.highlighted_id))

    def action_delete(self) -> None:
        self.post_message(PlanPane.DeleteRequested(self.highlighted_id))

    def action_move(self, step: int) -> None:
        self.post_message(PlanPane.MoveRequested(self.highlighted_id, step))

    @property
    def highlighted_id(self) -> str:
        if self.highlighted is None:
            return "overview"
        return self.get_option_at_index(self.highlighted).id or "overview"


def nav_options(session: PlanSession) -> list[Option]:
    plan = session.plan
    done = sum(item.done for item in readiness(plan))
    options = [Option(f"Overview · ready {done}/7", id="overview")]
    for part in LIST_PARTS:
        options.append(Option(Content.styled(part.title, "bold"), id=f"part:{part.table}"))
        records = plan.people if part is PEOPLE else plan.lists[part.table]
        for number, record in enumerate(records, start=1):
            label = display_name(part, record)
            prefix = f"  {number}. " if part is PEOPLE else "  · "
            options.append(Option(Content(prefix + label), id=f"{part.table}:{record['id']}"))
        options.append(Option(f"  + Add {with_article(part.item_name)}", id=f"add:{part.table}"))
    for part in SINGLE_PARTS:
        options.append(Option(Content.styled(part.title, "bold"), id=part.table))
    return options


class Overview(VerticalScroll):
    """The plan at a glance: its name, the people in speaking order, and readiness."""

    def __init__(self, session: PlanSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session

    def compose(self) -> ComposeResult:
        plan = self.session.plan
        yield RecordForm(PLAN, "plan", plan.records["plan"], "Overview", id="plan-title-form")
        yield Static("Speaking order", classes="form-heading")
        yield Static(people_summary(self.session), id="people-summary")
        yield Static("Ready to hold the meeting? Enter opens the guide on an item.",
                     classes="form-heading")
        yield OptionList(*readiness_options(self.session), id="readiness", markup=False)


def people_summary(session: PlanSession) -> Content:
    people = session.plan.people
    if not people:
        return Content("Nobody yet. Choose “+ Add a person” in the list.")
    lines = []
    for number, person in enumerate(people, start=1):
        statement = person["statement"].strip()
        if statement:
            length = f"about {format_duration(speaking_seconds(statement))}"
        else:
            length = "no statement yet"
        target = format_duration(person["target_seconds"])
        role = "" if person["role"] == "member" else f", {person['role']}"
        name = person["name"] or "(unnamed person)"
        lines.append(Content(f"{number}. {name}{role} — {length} of {target}"))
    return Content("\n").join(lines)


def readiness_options(session: PlanSession) -> list[Option]:
    options = []
    for item in readiness(session.plan):
        mark = ("✔ ", "$success") if item.done else ("✘ ", "$error")
        detail = f" — {item.detail}" if item.detail and not item.done else ""
        options.append(Option(Content.assemble(mark, item.label, (detail, "$text-muted"))))
    return options


class PlanPane(Vertical):
    class AddRequested(Message):
        def __init__(self, option_id: str) -> None:
            super().__init__()
            self.option_id = option_id

    class DeleteRequested(AddRequested):
        pass

    class MoveRequested(AddRequested):
        def __init__(self, option_id: str, step: int) -> None:
            super().__init__(option_id)
            self.step = step

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: PlanSession | None = None
        self.showing = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-status")
        with Horizontal():
            yield PlanNav(id="plan-nav", markup=False)
            yield Vertical(id="plan-page")

    @property
    def nav(self) -> PlanNav:
        return self.query_one(PlanNav)

    async def attach(self, session: PlanSession | None, problem: str = "") -> None:
        self.session = session
        if session is None:
            self.set_status(problem, error=True)
            return
        if session.read_only:
            self.set_status(f"Read-only: showing {session.store.source}. Changes are not saved.")
        else:
            self.set_status(f"Saved in {session.store.path}")
        await self.rebuild_nav("overview")

    def set_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#plan-status", Static)
        status.update(Content(message))
        status.set_class(error, "error")

    async def rebuild_nav(self, keep: str | None = None) -> None:
        """Rebuild the list, highlight `keep` (or what was highlighted) and show its page."""
        self._set_nav_options(keep or self.nav.highlighted_id)
        await self.show(self.nav.highlighted_id, force=True)

    def _set_nav_options(self, keep: str) -> None:
        options = nav_options(self.session)
        ids = [option.id for option in options]
        with self.nav.prevent(OptionList.OptionHighlighted):
            self.nav.set_options(options)
            self.nav.highlighted = ids.index(keep) if keep in ids else 0

    async def show(self, option_id: str, force: bool = False) -> None:
        if option_id == self.showing and not force:
            return
        self.showing = option_id
        page = self.query_one("#plan-page")
        await page.remove_children()
        await page.mount(self._page_for(option_id))

    def _page_for(self, option_id: str):
        plan = self.session.plan
        kind, _, record_id = option_id.partition(":")
        if option_id == "overview":
            return Overview(self.session)
        if kind in ("part", "add"):
            part = PARTS_BY_TABLE[record_id]
            return Static(
                Content(f"{part.title}: press enter or a to add {with_article(part.item_name)}."),
                classes="form-heading",
            )
        part = PARTS_BY_TABLE[kind]
        if part.singleton:
            return RecordForm(part, part.table, plan.records[part.table], part.title)
        record = plan.record(part.table, record_id)
        heading = f"{part.item_name.capitalize()}: {display_name(part, record)}"
        return RecordForm(part, record_id, record, heading)

    @on(OptionList.OptionHighlighted, "#plan-nav")
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        await self.show(event.option_id)

    @on(OptionList.OptionSelected, "#plan-nav")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, table = event.option_id.partition(":")
        if kind in ("add", "part"):
            await self.add_record(table)
            return
        form = self.query(RecordForm).first(None)
        if form is not None:
            form.first_field.focus()

    @on(OptionList.OptionSelected, "#readiness")
    async def _open_guide_link(self, event: OptionList.OptionSelected) -> None:
        item = readiness(self.session.plan)[event.option_index]
        section, _, heading = item.guide_link.partition("#")
        await self.app.open_guide_at(section, heading)

    async def on_plan_pane_add_requested(self, event: AddRequested) -> None:
        kind, _, rest = event.option_id.partition(":")
        table = rest if kind in ("add", "part") else kind
        await self.add_record(table if table in ("treatments", "objections") else "people")

    async def add_record(self, table: str) -> None:
        if not self._writable():
            return
        try:
            record_id = self.session.add(table)
        except StoreError as error:
            self.set_status(error.message, error=True)
            return
        self.set_status("Added. Saved.")
        await self.rebuild_nav(f"{table}:{record_id}")
        self.query_one(RecordForm).first_field.focus()

    async def on_plan_pane_delete_requested(self, event: DeleteRequested) -> None:
        table, _, record_id = event.option_id.partition(":")
        part = PARTS_BY_TABLE.get(table)
        if not record_id or part is None or part.singleton or not self._writable():
            self.app.notify("Choose a person, treatment option or objection to delete.")
            return
        name = display_name(part, self.session.plan.record(table, record_id))
        question = f"Delete the {part.item_name} “{name}”?"
        if table == "people":
            question += " Their statement and rehearsal history go too."
        if await self.app.push_screen_wait(ConfirmScreen(question)):
            try:
                self.session.delete(table, record_id)
            except StoreError as error:
                self.set_status(error.message, error=True)
                return
            self.set_status(f"Deleted “{name}”. Saved.")
            await self.rebuild_nav(f"part:{table}")

    async def on_plan_pane_move_requested(self, event: MoveRequested) -> None:
        table, _, record_id = event.option_id.partition(":")
        if table != "people" or not self._writable():
            return
        try:
            self.session.move_person(record_id, event.step)
        except StoreError as error:
            self.set_status(error.message, error=True)
            return
        self.set_status("Speaking order changed. Saved.")
        await self.rebuild_nav(event.option_id)

    def _writable(self) -> bool:
        if self.session is None or self.session.read_only:
            self.app.notify("This plan is open read-only.", severity="warning")
            return False
        return True

    def on_record_form_edited(self, event: RecordForm.Edited) -> None:
        self._save_edit(event.form, event.field, event.value)
        self._refresh_nav_labels()

    def save_now(self) -> None:
        """Save whatever is typed but not yet saved (before quitting)."""
        for form in self.query(RecordForm):
            for field, value in form.take_waiting().items():
                self._save_edit(form, field, value)
        if self.session is not None and self.session.unsaved:
            try:
                self.session.save_unsaved()
            except SaveFailed:
                pass  # already told; nothing more can be done while the disk refuses

    def _save_edit(self, form: RecordForm, field: str, raw_value: object) -> None:
        if not self._writable():
            return
        key = FieldKey(form.part.table, form.record_id, field)
        try:
            value = self.session.set_field(key, raw_value)
        except ValidationError as error:
            form.show_error(field, str(error))
            return
        except SaveFailed as error:
            self.set_status(f"Not saved: {error.message} Your text stays on screen.", error=True)
            return
        form.saved(field, value)
        self.set_status("All changes saved.")

    def _refresh_nav_labels(self) -> None:
        """New names, order and readiness count in the list, leaving the page and focus alone."""
        self._set_nav_options(self.nav.highlighted_id)

    def on_record_form_left(self) -> None:
        self.nav.focus()

    async def check_outside_changes(self) -> None:
        """Called every second: take in saves made by other sessions on the same file."""
        if self.session is None or not self.session.changed_on_disk():
            return
        try:
            overwritten = self.session.reload_from_disk()
        except StoreError as error:
            self.set_status(error.message, error=True)
            return
        for key in overwritten:
            label = PARTS_BY_TABLE[key.table].title
            self.app.notify(
                f"Someone else changed a field you edited ({label}); their later save is shown.",
                severity="warning",
            )
        form = self.query(RecordForm).first(None)
        focused_form = form is not None and form.has_focus_within
        if focused_form:
            record = (
                self.session.plan.record(form.part.table)
                if form.part.singleton
                else self.session.plan.record(form.part.table, form.record_id)
            )
            if record is not None:
                form.take_outside_changes(record)
            self._refresh_nav_labels()
        else:
            await self.rebuild_nav()
