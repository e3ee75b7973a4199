"""What the coach says about a statement, as the plan form and the Rehearse pane show it."""

from textual.content import Content

from tui.core.coach import Report
from tui.core.plan import counted
from tui.core.rehearsal import format_clock


def statement_notes(report: Report) -> Content:
    """Words and speaking time at the speaker's pace against the target, each finding, and
    which of the three messages the statement does not carry yet."""
    verdict = (
        ("over the target", "bold $error")
        if report.over_target
        else ("within the target", "$success")
    )
    words = counted(report.words, "word", "words")
    parts: list = [
        f"{words} · about {format_clock(report.seconds)} spoken {report.pace.label}"
        f" · target {format_clock(report.target_seconds)}, ",
        verdict,
    ]
    for finding in report.findings:
        parts += ["\n", (f"“{finding.text}”", "bold $warning"), f": {finding.suggestion}"]
    for message in report.missing:
        parts += ["\n", ("Not in it yet: ", "bold"), f"{message.name}. {message.reminder}."]
    return Content.assemble(*parts)
