"""A form for one record of the plan, generated from its part's fields."""

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.core import coach
from tui.core.dates import typed_form
from tui.core.plan import NOBODY_YET, Field, Part, display_name, field_of, format_duration
from tui.core.rehearsal import GENERAL_PACE, Pace
from tui.ui.messages import OpenGuide
from tui.ui.widgets.fields import ChoiceField, PlainInput, TickBox
from tui.ui.widgets.statement_notes import statement_notes

SAVE_DELAY_SECONDS = 0.5
YOUR_VERSION_SHOWN = 300  # characters of a replaced version shown under its field
INPUT_KINDS = ("text", "number", "duration", "moment")  # shown in an Input, as text
LONG_FIELD_HEIGHTS = {"statement": 12}
KEPT_KINDS = ("bool", "choice", "person")  # their widgets hold the value itself


def shown_value(spec: Field, value: object) -> str:
    if spec.kind == "duration":
        return format_duration(value)
    if spec.kind == "number":
        return str(value) if value else ""
    if spec.kind == "moment":
        return typed_form(str(value))
    return str(value)


def bottom_line_notes(findings: list[coach.Finding]) -> Content:
    """Where a bottom line would take away the loved one's safety, and what to do instead."""
    lines = [
        Content.assemble((f"“{finding.text}”", "bold $warning"), f": {finding.suggestion}.")
        for finding in findings
    ]
    return Content("\n").join(lines)


class GuideLink(Static, can_focus=True):
    """A place in the guide ("section-id#heading-slug") to read; enter opens it."""

    DEFAULT_CSS = """
    GuideLink {
        height: auto;
        &:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """

    def __init__(self, link: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.link = link

    def on_mount(self) -> None:
        self.update(Content.assemble("→ Guide: ", (self._place(), "bold"), " — enter opens it"))

    def _place(self) -> str:
        section_id, _, slug = self.link.partition("#")
        if section_id not in self.app.guide:
            return "more"
        section = self.app.guide[section_id]
        heading = next((h.text for h in section.headings if h.slug == slug), "")
        return f"{section.title} › {heading}" if heading else section.title

    def key_enter(self) -> None:
        section_id, _, slug = self.link.partition("#")
        self.post_message(OpenGuide(section_id, slug))


def statement_summary(text: str, target_seconds: float, pace: Pace) -> Content:
    """Word count and speaking time at the speaker's pace against the target, with the
    coach's findings and the messages the statement does not carry yet."""
    return statement_notes(coach.review(text, target_seconds, pace))


class RecordForm(VerticalScroll, can_focus=False):
    """A form for one record. Edits save themselves shortly after typing stops, when a field
    loses focus, and at once for a tick box or a choice.

    `record` is the record as last saved, which each field is compared with. An edit waits
    (`_waiting`) until it is handed up to the plan pane as an Edited message; the pane saves
    it and hands the saved value back (`saved`), or an error to show under the field.
    Another session's saves come in through take_outside_changes, except into a field with
    edits not yet handed up. When another session's later save replaced what this person
    had saved in a field, the field shows the later save and a note under it shows theirs
    (`your_versions`), which F8 puts back. `people` (id: name, in speaking order) are the
    choices of a field that names one of the plan's people, with "nobody yet".
    The form itself takes no focus: its fields do, and it scrolls to show the one with the
    focus.
    """

    BINDINGS = [
        Binding("escape", "leave", "Back to the list", show=False),
        Binding("f8", "put_back", "Put your version back", key_display="F8", id="form.put_back"),
        Binding(
            "f7",
            "earlier",
            "Earlier values of this field, to put one back",
            key_display="F7",
            show=False,
            priority=True,  # before the long text box's own F7, which selects all
            id="form.earlier",
        ),
    ]

    class Edited(Message):
        def __init__(self, form: "RecordForm", field: str, value: object) -> None:
            super().__init__()
            self.form = form
            self.field = field
            self.value = value

    class Left(Message):
        """The user pressed escape to leave the form."""

    class Typing(Message):
        """Text was typed that is saved once typing stops: nothing waited before."""

    class EarlierWanted(Message):
        """The user asked for a field's earlier values, to put one back."""

        def __init__(self, form: "RecordForm", field: str) -> None:
            super().__init__()
            self.form = form
            self.field = field

    def __init__(
        self,
        part: Part,
        record_id: str,
        record: dict,
        heading: str,
        notes: dict[str, str] | None = None,
        people: dict[str, str] | None = None,
        your_versions: dict[str, object] | None = None,
        pace: Pace = GENERAL_PACE,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.people = people or {}
        self.part = part
        self.record_id = record_id
        self.record = dict(record)
        self.heading = heading
        self.notes = notes or {}  # shown under their fields until those are saved
        self.your_versions = dict(your_versions or {})
        self.pace = pace  # a person's speaking pace, for their statement's spoken length
        self._waiting: dict[str, object] = {}
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        if not self.children:
            self.mount_fields()

    def mount_fields(self) -> None:
        """Mount the fields now (not at compose time), so the focus can move into them
        before the next key is handled."""
        widgets = [Static(Content(self.heading), classes="form-heading", id="form-heading")]
        for spec in self.part.fields:
            widgets.extend(self._field_widgets(spec))
        self.mount_all(widgets)

    def _field_widgets(self, spec: Field):
        value = self.record.get(spec.name, spec.default)
        widget_id = f"field-{spec.name}"
        if spec.kind == "bool":
            yield TickBox(spec.label, bool(value), id=widget_id, classes="field")
        else:
            yield Static(spec.label, classes="field-label")
            if spec.kind == "choice":
                yield ChoiceField(
                    spec.choices, value, dict(spec.choice_names), id=widget_id, classes="field"
                )
            elif spec.kind == "person":
                names = {"": NOBODY_YET, **self.people}
                yield ChoiceField(tuple(names), value, names, id=widget_id, classes="field")
            elif spec.kind == "long":
                from tui.ui.widgets.long_text import PlainTextArea  # only forms with a long field

                area = PlainTextArea(
                    str(value),
                    id=widget_id,
                    classes="field long",
                    soft_wrap=True,
                    tab_behavior="focus",
                    max_length=spec.limit,
                )
                area.cursor_blink = False
                area.styles.height = LONG_FIELD_HEIGHTS.get(spec.name, 5)
                yield area
            else:
                field_input = PlainInput(
                    shown_value(spec, value),
                    id=widget_id,
                    classes="field",
                    placeholder=spec.hint,
                    compact=True,
                    max_length=spec.limit,
                )
                field_input.cursor_blink = False
                yield field_input
        if spec.hint and spec.kind in ("long", "choice"):
            yield Static(Content(spec.hint), classes="field-hint")
        if spec.name == "statement":
            yield Static(self._summary(), id="statement-summary", classes="field-hint")
        if spec.name == "bottom_line":
            findings = coach.check_bottom_line(str(value))
            notes = Static(
                bottom_line_notes(findings), id="bottom-line-notes", classes="field-hint"
            )
            link = GuideLink(coach.HARM_REDUCTION_LINK, id="bottom-line-guide")
            notes.display = link.display = bool(findings)
            yield notes
            yield link
        note = self.notes.get(spec.name, "")
        error = Static(Content(note), id=f"error-{spec.name}", classes="field-error")
        error.display = bool(note)
        yield error
        yours = Static(self._your_version_note(spec), id=f"yours-{spec.name}", classes="yours")
        yours.display = spec.name in self.your_versions
        yield yours

    def _your_version_note(self, spec: Field) -> Content:
        if spec.name not in self.your_versions:
            return Content("")
        text = shown_value(spec, self.your_versions[spec.name])
        if len(text) > YOUR_VERSION_SHOWN:
            text = text[:YOUR_VERSION_SHOWN] + "…"
        return Content.assemble(
            ("Another session saved this later. Your version (F8 puts it back): ", "bold"),
            text,
        )

    def keep_your_version(self, field: str, value: object) -> None:
        """Another session's later save replaced what was saved here: show theirs in the
        field (see take_outside_changes) and this person's under it, to put back."""
        self.your_versions[field] = value
        self._show_your_version(field)

    def _show_your_version(self, field: str) -> None:
        note = self._shown(f"#yours-{field}")
        if note is not None:
            note.update(self._your_version_note(field_of(self.part, field)))
            note.display = field in self.your_versions
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "put_back":
            return bool(self.your_versions)
        return True

    def action_put_back(self) -> None:
        """Put this person's version back into the field with the focus, or else the first
        field that has one, and save it."""
        focused = self.screen.focused
        names = [name for name in self.your_versions if focused and focused.id == f"field-{name}"]
        name = (names or list(self.your_versions))[0]
        spec = field_of(self.part, name)
        value = self.your_versions[name]
        widget = self.query_one(f"#field-{name}")
        with widget.prevent(widget.Changed):
            widget.value = value if spec.kind in ("bool", "choice") else shown_value(spec, value)
        self._waiting[name] = widget.value
        self.flush()

    def action_earlier(self) -> None:
        """Ask for the earlier values of the field with the focus, once its edits are saved."""
        focused = self.screen.focused
        if focused is None or not (focused.id or "").startswith("field-"):
            return
        self.flush()
        self.post_message(self.EarlierWanted(self, focused.id.removeprefix("field-")))

    def _summary(self) -> Content:
        statement = self.query("#field-statement")
        text = statement.first().value if statement else self.record.get("statement", "")
        return statement_summary(text, self.record["target_seconds"], self.pace)

    @property
    def first_field(self) -> Widget:
        return self.query(".field").first()

    def action_leave(self) -> None:
        self.flush()
        self.post_message(self.Left())

    def on_text_area_changed(self, event) -> None:
        # Handled by its name, not with @on(TextArea.Changed): that would import the text
        # area (see long_text) for every form. Only fields are text areas here.
        self._field_changed(event)

    @on(Input.Changed, ".field")
    @on(TickBox.Changed, ".field")
    @on(ChoiceField.Changed, ".field")
    def _field_changed(self, event) -> None:
        widget = event.control
        name = widget.id.removeprefix("field-")
        value = widget.value
        if name == "statement":
            self.query_one("#statement-summary", Static).update(self._summary())
        if name == "bottom_line":
            self._show_bottom_line_notes(value)
        if not self._differs_from_saved(name, value):
            self._waiting.pop(name, None)
            return
        if isinstance(widget, (TickBox, ChoiceField)):
            self._waiting[name] = value
            self.flush()
            return
        if not self._waiting:
            self.post_message(self.Typing())
        self._waiting[name] = value
        self._restart_timer()

    def _show_bottom_line_notes(self, bottom_line: str) -> None:
        findings = coach.check_bottom_line(bottom_line)
        notes = self.query_one("#bottom-line-notes", Static)
        link = self.query_one("#bottom-line-guide", GuideLink)
        appearing = bool(findings) and not link.display
        notes.update(bottom_line_notes(findings))
        notes.display = link.display = bool(findings)
        if appearing:  # into sight below the field being typed in
            self.call_after_refresh(link.scroll_visible, animate=False)

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY_SECONDS, self.flush)

    def on_descendant_blur(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Hand every edit waiting to be saved to whoever saves it."""
        for name, value in self.take_waiting().items():
            self.post_message(self.Edited(self, name, value))

    def edits_on_screen(self) -> dict[str, object]:
        """Every field whose widget shows something other than what was last saved,
        including keys pressed a moment ago whose change messages are still on their way."""
        edits = self.take_waiting()
        for spec in self.part.fields:
            widgets = self.query(f"#field-{spec.name}")
            if not widgets:
                continue
            value = widgets.first().value
            if self._differs_from_saved(spec.name, value):
                edits[spec.name] = value
        return edits

    def _differs_from_saved(self, name: str, value: object) -> bool:
        spec = field_of(self.part, name)
        saved = self.record.get(name, spec.default)
        return value != (shown_value(spec, saved) if spec.kind in INPUT_KINDS else saved)

    def take_waiting(self) -> dict[str, object]:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        waiting, self._waiting = self._waiting, {}
        return waiting

    @property
    def has_unsent_edits(self) -> bool:
        return bool(self._waiting)

    def _shown(self, selector: str) -> Static | None:
        """A widget of this form, or None while the form is being taken off the screen."""
        found = self.query(selector) if self.is_attached else None
        return found.first() if found else None

    def saved(self, field: str, value: object) -> None:
        self.record[field] = value
        if field == self.part.label_field and self.part.item_name:
            name = display_name(self.part, self.record)
            self.heading = f"{self.part.item_name.capitalize()}: {name}"
            if heading := self._shown("#form-heading"):
                heading.update(Content(self.heading))
        self.show_error(field, "")
        if self.your_versions.pop(field, None) is not None:
            self._show_your_version(field)
        summary = self._shown("#statement-summary")
        if field == "target_seconds" and summary:
            summary.update(self._summary())

    def show_saved(self, field: str, value: object) -> None:
        """Show in a field the value saved for it, where that is not what was typed (a place
        in the speaking order past its end is saved as the last place)."""
        widget = self._shown(f"#field-{field}")
        if widget is not None:
            spec = field_of(self.part, field)
            with widget.prevent(widget.Changed):
                widget.value = value if spec.kind in KEPT_KINDS else shown_value(spec, value)

    def show_error(self, field: str, message: str) -> None:
        error = self._shown(f"#error-{field}")
        if error is None:
            if message:
                self.app.notify(message, severity="error")
            return
        error.update(Content(message))
        error.display = bool(message)

    def take_outside_changes(self, record: dict) -> None:
        """Show another session's saves, except in a field with edits not yet handed up."""
        for spec in self.part.fields:
            new = record.get(spec.name, spec.default)
            if new == self.record.get(spec.name) or spec.name in self._waiting:
                continue
            widget = self.query_one(f"#field-{spec.name}")
            if self._differs_from_saved(spec.name, widget.value):
                continue  # typed a moment ago: saved next, and then the later save
            self.record[spec.name] = new
            with widget.prevent(widget.Changed):
                if isinstance(widget, (TickBox, ChoiceField)):
                    widget.value = new
                else:
                    widget.value = shown_value(spec, new)
        if "statement" in self.record:
            self.query_one("#statement-summary", Static).update(self._summary())
        if "bottom_line" in self.record:
            self._show_bottom_line_notes(self.query_one("#field-bottom_line").value)
