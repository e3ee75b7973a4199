"""What the coach says about a statement, as the plan form and the Rehearse pane show it."""

from textual.content import Content

from tui.core.coach import Report
from tui.core.rehearsal import format_clock


def statement_notes(report: Report, *, against_target: bool = True) -> Content:
    """Words and speaking time (with the target, unless told not to), then each finding."""
    parts: list = [f"{report.words} words · about {format_clock(report.seconds)} spoken"]
    if against_target:
        verdict = (
            ("over the target", "bold $error")
            if report.over_target
            else ("within the target", "$success")
        )
        parts += [f" · target {format_clock(report.target_seconds)}, ", verdict]
    for finding in report.findings:
        parts += ["\n", (f"“{finding.text}”", "bold $warning"), f": {finding.suggestion}"]
    return Content.assemble(*parts)
