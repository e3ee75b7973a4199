"""At start, like ssh with a private key: say when others could read the plan, and how to fix it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui.core.permissions import Finding
from tui.ui.screens.dialog import Dialog


def findings_content(findings: list[Finding]) -> Content:
    lines = []
    for finding in findings:
        mark = ("✘ ", "bold $error") if finding.severity == "problem" else ("! ", "bold $warning")
        lines.append(Content.assemble(mark, finding.message))
        if finding.fix:
            lines.append(Content.assemble("  ", (finding.fix, "$text-accent")))
    return Content("\n").join(lines)


class PermissionsScreen(Dialog[bool]):
    """Dismissed with True to go on anyway, False to quit. Kindred never widens permissions."""

    BINDINGS = [
        Binding("escape", "dismiss(True)", "Go on anyway", id="permissions.continue"),
        Binding("q", "dismiss(False)", "Quit to fix it", id="permissions.quit"),
    ]
    FOCUSED_BUTTON = "quit"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def body(self) -> ComposeResult:
        yield Static("Others may be able to see this plan", id="problem-title")
        with VerticalScroll(id="permission-findings"):
            yield Static(findings_content(self.findings))
        yield Static(
            "Kindred changes no permissions itself. Quit, run the command shown, and start "
            "Kindred again — or go on for now.",
            id="problem-choices",
        )

    def buttons(self) -> ComposeResult:
        yield Button("Quit to fix it (q)", variant="primary", id="quit")
        yield Button("Go on anyway (esc)", id="continue")

    def answer(self, button_id: str) -> bool:
        return button_id == "continue"
