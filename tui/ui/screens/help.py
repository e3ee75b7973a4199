"""Help: every key binding, generated from the bindings themselves."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def binding_rows(app, bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what they do), one row per action; keys for the same action are joined."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in bindings:
        keys, description = rows.setdefault(binding.action, ([], binding.description))
        keys.append(app.get_key_display(binding))
        if not description and binding.description:
            rows[binding.action] = (keys, binding.description)
    return [(" / ".join(keys), description) for keys, description in rows.values()]


def help_content(app, groups: list[tuple[str, list[Binding]]]) -> Content:
    lines: list[Content] = []
    for title, bindings in groups:
        lines.append(Content.styled(title, "bold $accent"))
        for keys, description in binding_rows(app, bindings):
            lines.append(Content.assemble((f"  {keys:<16}", "bold"), description))
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close help", id="help.close"),
        Binding("f1", "dismiss", "Close help", show=False, id="help.close_f1"),
        Binding("question_mark", "dismiss", "Close help", show=False, id="help.close_question"),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys — escape closes this help", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.app, self.groups), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
