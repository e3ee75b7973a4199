"""Export for printing and to a calendar from the app: ask for a file name, ask before
replacing a file, and write it as `kindred export -o` does (only its owner can read it)."""

import os
from pathlib import Path

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, Input, Static

from tui.cli.export_import import ExportProblem, output_refusal, write_export
from tui.core.safe_text import shown_path
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.dialog import Dialog
from tui.ui.widgets.fields import PlainInput

# format: (what it is called, the file name offered in the home folder, what the file is for)
EXPORTS = {
    "html": (
        "Export for printing",
        "~/kindred-plan.html",
        "A page to open in a browser and print: the run sheet for the day, everyone's "
        "statement, and the bottom lines on their own page.",
    ),
    "ics": (
        "Export to calendar",
        "~/kindred-plan.ics",
        "A calendar file with the meeting, the tasks that have a due date and the rehearsals, "
        "for a phone or desktop calendar to import.",
    ),
}


def ask_and_export(app: App, fmt: str) -> None:
    """Ask for a file name and write the plan there as fmt ("html" or "ics")."""
    app.push_screen(ExportScreen(fmt, app.plan_path))


class ExportScreen(Dialog[None]):
    """Asks where to write the export. A name that cannot be written keeps the dialog open
    with the reason under the name; an existing file is replaced only after asking."""

    DEFAULT_CSS = """
    ExportScreen #dialog-box { border: round $accent; }
    #export-title { text-style: bold; color: $accent; }
    #export-explanation, #export-name { margin-top: 1; }
    #export-problem { color: $text-error; height: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]
    FOCUSED_BUTTON = "write"

    def __init__(self, fmt: str, data_path: Path) -> None:
        super().__init__()
        self.fmt = fmt
        self.data_path = data_path

    def body(self) -> ComposeResult:
        title, default_name, purpose = EXPORTS[self.fmt]
        yield Static(title, id="export-title")
        yield Static(
            f"{purpose} Only you will be able to read the file. Where should it go? A name "
            "without a folder goes in your home folder.",
            id="export-explanation",
        )
        name = PlainInput(default_name, id="export-name")
        name.cursor_blink = False
        yield name
        yield Static("", id="export-problem")

    def buttons(self) -> ComposeResult:
        yield Button("Write it (enter)", variant="primary", id="write")
        yield Button("Cancel (esc)", id="cancel")

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the name has the focus, not a button
        self.query_one("#export-name", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()  # not the dialog's usual answer: the name is checked first
        if event.button.id == "write":
            self.try_to_write()
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#export-name")
    def _name_given(self) -> None:
        self.try_to_write()

    @property
    def output(self) -> Path:
        """The file named, in the home folder unless the name says which folder."""
        return Path.home() / os.path.expanduser(self.query_one("#export-name", Input).value.strip())

    def try_to_write(self) -> None:
        if not self.query_one("#export-name", Input).value.strip():
            self.show_problem("Give the name of a file to write.")
            return
        output = self.output
        refusal = output_refusal(output, self.data_path)
        if refusal:
            self.show_problem(refusal)
            return
        if os.path.lexists(output):
            question = f"{shown_path(output)} already exists. Replace it with this export?"

            def write_if_confirmed(confirmed: bool | None) -> None:
                if confirmed:
                    self.write(output)

            self.app.push_screen(ConfirmScreen(question, "Yes, replace it"), write_if_confirmed)
            return
        self.write(output)

    def write(self, output: Path) -> None:
        try:
            write_export(self.data_path, self.fmt, output)
        except ExportProblem as problem:
            self.show_problem(problem.message)
            return
        self.app.notify(
            f"Wrote {shown_path(output)}. Only you can read it.",
            title=EXPORTS[self.fmt][0],
            timeout=10,
        )
        self.dismiss(None)

    def show_problem(self, message: str) -> None:
        self.query_one("#export-problem", Static).update(Content(message))
