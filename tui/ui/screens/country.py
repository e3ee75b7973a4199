"""Which country the plan is for, asked when neither the plan nor the locale says."""

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.countries import COUNTRY_NAMES, OTHER_COUNTRY
from tui.ui.screens.dialog import Dialog

# One key each: its place in the list, or a letter from its name.
COUNTRY_LETTERS = {"US": "u", "CA": "c", "GB": "k", "IE": "i", "AU": "a", OTHER_COUNTRY: "o"}


def _country_bindings() -> list[Binding]:
    bindings = []
    for number, (code, name) in enumerate(COUNTRY_NAMES.items(), start=1):
        action = f"dismiss({code!r})"
        bindings.append(Binding(str(number), action, name, id=f"country.{code}"))
        bindings.append(
            Binding(COUNTRY_LETTERS[code], action, name, show=False, id=f"country.{code}_letter")
        )
    return bindings


class CountryScreen(Dialog[str | None]):
    """Dismissed with the chosen country's code, or None to choose later."""

    BINDINGS = [
        *_country_bindings(),
        Binding("escape", "dismiss(None)", "Later", id="country.later"),
        Binding("l", "dismiss(None)", "Later", show=False, id="country.later_letter"),
    ]
    FOCUSED_BUTTON = "later"

    def body(self) -> ComposeResult:
        yield Static("Which country are you in?", id="country-title")
        yield Static(
            "The guide gives the emergency number and the helplines of the plan's country; "
            "until you choose, it lists every country's emergency number. Press a number or "
            "a letter, or ↑ ↓ and enter. You can change it later on the plan's Overview.",
            id="country-explanation",
        )
        options = [
            Option(Content(f"{number}  {name:<18}{COUNTRY_LETTERS[code]}"), id=code)
            for number, (code, name) in enumerate(COUNTRY_NAMES.items(), start=1)
        ]
        yield OptionList(*options, id="country-choices", markup=False)

    def buttons(self) -> ComposeResult:
        yield Button("Later (esc)", id="later")

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the list has the focus, not a button
        choices = self.query_one("#country-choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def answer(self, button_id: str) -> None:
        return None

    @on(OptionList.OptionSelected, "#country-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)
