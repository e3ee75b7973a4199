"""A one-line choice among a few fixed options: left and right change it."""

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceField(Widget, can_focus=True):
    BINDINGS = [
        Binding("right", "step(1)", "Next choice", show=False),
        Binding("space", "step(1)", "Next choice", show=False),
        Binding("left", "step(-1)", "Previous choice", show=False),
    ]

    DEFAULT_CSS = """
    ChoiceField {
        height: 1;
        width: 1fr;
        background: $surface;
    }
    ChoiceField:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    value: reactive[str] = reactive("")

    @dataclass
    class Changed(Message):
        choice_field: "ChoiceField"
        value: str

        @property
        def control(self) -> "ChoiceField":
            return self.choice_field

    def __init__(self, choices: tuple[str, ...], value: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.set_reactive(ChoiceField.value, value if value in choices else choices[0])

    def render(self) -> Content:
        return Content.assemble(" ◀ ", (self.value, "bold"), " ▶  ", ("← → to change", "dim"))

    def action_step(self, step: int) -> None:
        index = self.choices.index(self.value)
        self.value = self.choices[(index + step) % len(self.choices)]

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))
