"""Who changed what: the plan's history, newest first, and a field's earlier values to put
back. Every name and value is shown literally, with control characters made visible."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.history import (
    described,
    newest_first,
    people_in,
    shown_time,
    value_in_words,
)
from tui.core.plan import Field
from tui.core.safe_text import visible
from tui.core.session import PlanSession

LONGEST_DESCRIPTION = 200  # characters of a change shown in its row
EVERYONE = ""


def _shortened(text: str) -> str:
    return text if len(text) <= LONGEST_DESCRIPTION else text[: LONGEST_DESCRIPTION - 1] + "…"


class ChangesScreen(ModalScreen[None]):
    """The plan's changes, newest first: when, who, what. f shows one person's changes at a
    time, then everyone's again."""

    DEFAULT_CSS = """
    ChangesScreen {
        align: center middle;
    }
    #changes-box {
        width: 90%;
        max-width: 110;
        height: 90%;
        background: $panel;
        border: round $accent;
        padding: 0 1;
    }
    #changes-title {
        height: auto;
        color: $text-muted;
    }
    #changes-list {
        height: 1fr;
        border: none;
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Close the changes", id="changes.close"),
        Binding("f", "next_person", "Show one person's changes, then the next", id="changes.who"),
    ]

    def __init__(self, session: PlanSession) -> None:
        super().__init__()
        self.session = session
        self.who = EVERYONE

    def compose(self) -> ComposeResult:
        with Vertical(id="changes-box"):
            yield Static(id="changes-title")
            yield OptionList(id="changes-list", markup=False)

    def on_mount(self) -> None:
        self.show_changes()
        self.query_one("#changes-list").focus()

    def show_changes(self) -> None:
        plan = self.session.plan
        changes = newest_first(self.session.history, self.who)
        whose = f"by {visible(self.who)}" if self.who else "by everyone"
        self.query_one("#changes-title", Static).update(
            Content(f"Changes {whose}, newest first · f: whose · escape closes")
        )
        rows = [
            Option(
                Content.assemble(
                    (f"{shown_time(change)}  {visible(change.who)}", "bold"),
                    "\n",
                    visible(_shortened(described(change, plan))),
                )
            )
            for change in changes
        ]
        changes_list = self.query_one("#changes-list", OptionList)
        changes_list.set_options(rows or [Option("No changes yet.", disabled=True)])
        changes_list.highlighted = 0 if rows else None

    def action_next_person(self) -> None:
        people = [EVERYONE, *people_in(self.session.history)]
        place = people.index(self.who) if self.who in people else 0
        self.who = people[(place + 1) % len(people)]
        self.show_changes()


class EarlierValuesScreen(ModalScreen[tuple[object] | None]):
    """A field's earlier values, newest first: enter puts the chosen one back (the screen
    gives it, in a tuple), escape leaves the field as it is (None)."""

    DEFAULT_CSS = """
    EarlierValuesScreen {
        align: center middle;
    }
    #earlier-box {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        background: $panel;
        border: round $accent;
        padding: 0 1;
    }
    #earlier-title {
        height: auto;
        color: $text-muted;
    }
    #earlier-list {
        height: auto;
        max-height: 20;
        border: none;
    }
    """

    BINDINGS = [Binding("escape", "dismiss", "Keep the field as it is", id="earlier.close")]

    def __init__(self, spec: Field, values: list, session: PlanSession) -> None:
        super().__init__()
        self.spec = spec
        self.values = values
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="earlier-box"):
            title = f"Earlier values of “{self.spec.label}”, newest first"
            yield Static(
                Content(f"{title} · enter puts one back · escape closes"), id="earlier-title"
            )
            options = [
                Option(Content(visible(_shortened(self._in_words(value))))) for value in self.values
            ]
            yield OptionList(
                *(options or [Option("No earlier values.", disabled=True)]),
                id="earlier-list",
                markup=False,
            )

    def _in_words(self, value: object) -> str:
        return value_in_words(self.spec, value, self.session.plan)

    def on_mount(self) -> None:
        self.query_one("#earlier-list").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.values[event.option_index],))
