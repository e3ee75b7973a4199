"""Fields for forms: a text box that takes a paste as plain text, a yes/no tick box and a
choice among a few options, all of them shown. The multi-line text box is in `long_text`.

The tick box and the choice handle their keys in the widget itself rather than as bindings,
so they act in the order typed even when the focus moves on straight after (fast typing, a
slow link).
"""

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from tui.core.safe_text import strip_controls

FIELD_CSS = """
    height: 1;
    width: 1fr;
    background: $surface;
    &:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
"""


# Typed keys never carry control characters into a text box (Textual inserts only printable
# characters), but a paste is taken as it comes: escape sequences, C1 controls and
# bidirectional overrides would stay in the field and reach the terminal. Our text boxes
# (PlainInput here, PlainTextArea in long_text) clean a paste before Textual inserts it:
# Textual calls a subclass's handler for an event before its base class's. A paste is also
# cut to what the field has room for, so that a huge paste never slows every later key.


class KeysInTurn:
    """Mixed into a text box: its own keys (moving the cursor, deleting) act as they come, in
    turn with the characters typed around them. Textual runs a widget's key bindings only
    once the key has gone up to the app, and keys that arrive together (as over a slow link)
    would meanwhile insert the characters typed after them first. `LEFT_TO_THE_APP` are the
    actions that still go the usual way, in turn with the keys other widgets handle."""

    LEFT_TO_THE_APP: frozenset[str] = frozenset()

    async def _on_key(self, event: events.Key) -> None:
        action = self._own_actions().get(event.key)
        if action is None or action in self.LEFT_TO_THE_APP:
            return
        # An action that does not apply here (scrolling a box with nothing to scroll) goes
        # the usual way, up to the app.
        if await self.app.run_action(action, self):
            event.stop()
            event.prevent_default()

    @classmethod
    def _own_actions(cls) -> dict[str, str]:
        if "_actions_by_key" not in cls.__dict__:
            bindings = [b for k in reversed(cls.__mro__) for b in k.__dict__.get("BINDINGS", [])]
            cls._actions_by_key = {b.key: b.action for b in Binding.make_bindings(bindings)}
        return cls._actions_by_key


class PlainInput(KeysInTurn, Input):
    """A one-line text box; a paste comes in on one line, without control characters, and
    cut to the room left under max_length. Entering it puts the cursor at the end of its
    text and selects nothing, so the next key adds to the text instead of replacing it."""

    LEFT_TO_THE_APP = frozenset({"submit"})  # enter: after the keys typed before it

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, select_on_focus=False, **kwargs)

    def on_focus(self) -> None:
        self.cursor_position = len(self.value)

    def on_paste(self, event: events.Paste) -> None:
        text = strip_controls(event.text)
        if self.max_length:
            start, end = sorted(self.selection)
            text = fit_paste(self, text, len(self.value) - (end - start), self.max_length)
        event.text = text


def fit_paste(field: Widget, text: str, length_kept: int, limit: int) -> str:
    """The pasted text cut to the room left in the field (holding length_kept characters
    besides the paste); says so when it is cut."""
    room = max(limit - length_kept, 0)
    if len(text) <= room:
        return text
    field.notify(
        f"Only the first {room:,} characters of the paste were taken: this field holds at "
        f"most {limit:,} characters.",
        severity="warning",
        timeout=10,
    )
    return text[:room]


class TickBox(Widget, can_focus=True):
    """[x] or [ ] and a label; space or enter changes it. Readable without colour."""

    DEFAULT_CSS = "TickBox {" + FIELD_CSS + "}"

    value: reactive[bool] = reactive(False)

    @dataclass
    class Changed(Message):
        tick_box: "TickBox"
        value: bool

        @property
        def control(self) -> "TickBox":
            return self.tick_box

    def __init__(self, label: str, value: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.set_reactive(TickBox.value, value)

    def render(self) -> Content:
        return Content.assemble(("[x] " if self.value else "[ ] ", "bold"), self.label)

    def key_space(self) -> None:
        self.value = not self.value

    def key_enter(self) -> None:
        self.value = not self.value

    def watch_value(self, value: bool) -> None:
        self.post_message(self.Changed(self, value))


class ChoiceField(Widget, can_focus=True):
    """One of a few fixed options, all shown one under another, each by its name if it has
    one, the chosen one marked ●; up and down (or left, right and space) change it. A value
    outside the options ("not chosen yet") shows, marked, above them until changed."""

    DEFAULT_CSS = "ChoiceField {" + FIELD_CSS + "height: auto; }"

    value: reactive[str] = reactive("")

    @dataclass
    class Changed(Message):
        choice_field: "ChoiceField"
        value: str

        @property
        def control(self) -> "ChoiceField":
            return self.choice_field

    def __init__(
        self, choices: tuple[str, ...], value: str, names: dict[str, str] | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.names = names or {}
        shown = value in choices or value in self.names
        self.set_reactive(ChoiceField.value, value if shown else choices[0])

    def render(self) -> Content:
        options = self.choices if self.value in self.choices else (self.value, *self.choices)
        lines = []
        for option in options:
            name = self.names.get(option, option)
            if option == self.value:
                lines.append(Content.assemble("● ", (name, "bold"), ("  ↑ ↓ to change", "dim")))
            else:
                lines.append(Content(f"○ {name}"))
        return Content("\n").join(lines)

    def key_down(self) -> None:
        self.step(1)

    def key_right(self) -> None:
        self.step(1)

    def key_space(self) -> None:
        self.step(1)

    def key_up(self) -> None:
        self.step(-1)

    def key_left(self) -> None:
        self.step(-1)

    def step(self, offset: int) -> None:
        if self.value in self.choices:
            index = self.choices.index(self.value) + offset
        else:
            index = 0 if offset > 0 else -1
        self.value = self.choices[index % len(self.choices)]

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))
