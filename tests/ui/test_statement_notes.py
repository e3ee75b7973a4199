"""What the coach says under a statement, as the form and Rehearse show it."""

from tui.core.coach import review
from tui.ui.widgets.statement_notes import statement_notes


def test_one_word_is_one_word():
    assert str(statement_notes(review("Hello.", 120))).startswith("1 word · about 0:00")
    assert str(statement_notes(review("Hello there.", 120))).startswith("2 words · about")
