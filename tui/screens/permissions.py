"""At start, like ssh with a private key: say when others could read the plan, and how to fix it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.doctor import Finding


def findings_content(findings: list[Finding]) -> Content:
    lines = []
    for finding in findings:
        mark = ("✘ ", "bold $error") if finding.severity == "problem" else ("! ", "bold $warning")
        lines.append(Content.assemble(mark, finding.message))
        if finding.fix:
            lines.append(Content.assemble("  ", (finding.fix, "$text-accent")))
    return Content("\n").join(lines)


class PermissionsScreen(ModalScreen[bool]):
    """Dismissed with True to go on anyway, False to quit. Kindred never widens permissions."""

    BINDINGS = [
        Binding("escape", "dismiss(True)", "Go on anyway", id="permissions.continue"),
        Binding("q", "dismiss(False)", "Quit to fix it", id="permissions.quit"),
    ]

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box"):
            yield Static("Others may be able to see this plan", id="problem-title")
            with VerticalScroll(id="permission-findings"):
                yield Static(findings_content(self.findings))
            yield Static(
                "Kindred changes no permissions itself. Quit, run the command shown, and start "
                "Kindred again — or go on for now.",
                id="problem-choices",
            )
            with Horizontal(id="problem-buttons"):
                yield Button("Quit to fix it (q)", variant="primary", id="quit")
                yield Button("Go on anyway (esc)", id="continue")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "continue")
