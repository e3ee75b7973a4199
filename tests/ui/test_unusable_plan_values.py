"""A plan file holding valid JSON that Kindred cannot use (written by hand, or by another
program) is explained in the dialog for a plan that cannot be opened, and what can be read
of it is shown read-only: the app never stops."""

import json

import pytest
from waiting import until

from tui.ui.screens.data_problem import DataProblemScreen

ANNA = {"id": "anna", "name": "Anna", "order": 1, "target_seconds": 120}
ATTEMPT = {
    "id": "t1",
    "person_id": "anna",
    "started_at": "2025-03-01T18:30:00+00:00",
    "seconds": 95.5,
}


def plan_with(attempt: dict) -> str:
    text = json.dumps(
        {
            "meta": {"1": {"schema": 1}},
            "people": {"1": ANNA},
            "attempts": {"1": ATTEMPT, "2": attempt},
        }
    )
    return text.replace('"RAW"', "1e999")


@pytest.mark.parametrize(
    "attempt",
    [
        {**ATTEMPT, "id": "t2", "seconds": "RAW"},
        {**ATTEMPT, "id": "t2", "started_at": "0001-01-01T00:00:00+14:00"},
    ],
    ids=["1e999 seconds", "year 1 at +14:00"],
)
async def test_a_value_kindred_cannot_use_is_explained_and_the_rest_shown(
    make_app, tmp_path, attempt
):
    data = tmp_path / "plan.json"
    text = plan_with(attempt)
    data.write_text(text)
    data.chmod(0o600)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#problem-message"), "the problem shown")
        assert isinstance(app.screen, DataProblemScreen)
        message = str(app.screen.query_one("#problem-message").render())
        assert 'holds a value Kindred cannot use ("attempts", document "2"' in message
        app.screen.query_one("#read-only").press()
        await pilot.pause()
        assert str(app.query_one("#plan-status").render()).startswith("Read-only")
        labels = [str(option.prompt) for option in app.main_screen.plan_pane.nav.options]
        assert any("Anna" in label for label in labels)
        await pilot.press("f4")
        await pilot.pause()
        assert app.main_screen.current_pane == "rehearse"
        await pilot.press("f3", "a", *"Ben", "escape")
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert data.read_text() == text
