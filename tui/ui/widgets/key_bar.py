"""The row of keys along the bottom: the keys that work where the focus is, in one line.

It shows what Textual's compact Footer shows, but Footer builds a widget for every key, and
builds them all again whenever the focus moves (tens of milliseconds each time). This bar
draws the keys as one line of text, and only when they change. A click on a key presses it.
"""

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class ShownKey(NamedTuple):
    key: str  # as Textual names it, to press it on a click
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[ShownKey] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """The keys shown, as the Footer chooses them: those meant to be shown, one for each
        action (the first bound to it)."""
        keys: dict[str, ShownKey] = {}
        for _, binding, enabled, _ in screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                keys[binding.action] = ShownKey(binding.key, display, binding.description, enabled)
        if list(keys.values()) != self.keys:
            self.keys = list(keys.values())
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        gap_style = Style(bgcolor=self.rich_style.bgcolor)  # as Footer's gaps between keys
        line = Text(no_wrap=True, overflow="crop")
        for number, shown in enumerate(self.keys):
            if number:
                line.append(" ", gap_style)
            start = len(line)
            line.append(shown.display, key_style)
            if shown.description:
                line.append(" " + shown.description, description_style)
            if not shown.enabled:
                line.stylize(Style(dim=True), start)
            # Which key was clicked is read from the style under the mouse.
            line.stylize(Style.from_meta({"key_number": number}), start)
        return line

    def on_click(self, event: events.Click) -> None:
        number = event.style.meta.get("key_number")
        if number is None or number >= len(self.keys):
            return
        shown = self.keys[number]
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
