"""A speaker's own pace, once two timed attempts agree: Rehearse and the plan say it and
estimate the statement's length with it."""

from datetime import UTC, datetime, timedelta

import pytest

from tui.core.store import Store
from tui.ui.widgets.plan_pane import ListEntry
from tui.ui.widgets.record_form import RecordForm

# Ten words, a target of 8 seconds: at 130 words a minute it takes 4.6 seconds and fits;
# at Anna's own pace, 60 words a minute (10 words in 10 seconds, twice), it takes 10.
STATEMENT = "I love you and I am scared for you today."
FIRST_TRY = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


@pytest.fixture
def slow_speaker(tmp_path):
    path = tmp_path / "plan.json"
    store = Store(path)
    store.insert(
        "people",
        {"id": "anna", "name": "Anna", "order": 1, "statement": STATEMENT, "target_seconds": 8},
    )
    for number in range(2):
        store.insert(
            "attempts",
            {
                "id": f"a{number}",
                "person_id": "anna",
                "seconds": 10.0,
                "words": 10,
                "started_at": (FIRST_TRY + timedelta(days=number)).isoformat(),
            },
        )
    return path


async def test_rehearse_shows_the_pace_and_that_the_statement_does_not_fit_at_it(
    make_app, slow_speaker
):
    app = make_app(data_path=slow_speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f4")
        shown = str(app.main_screen.rehearse_pane.query_one("#rehearse-statement").render())
        assert "about 0:10 spoken at your pace (60 words a minute, from 2 tries)" in shown
        assert "over the target" in shown


async def test_the_plan_estimates_the_statement_at_the_speakers_pace(make_app, slow_speaker):
    app = make_app(data_path=slow_speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f3")
        plan_pane = app.main_screen.plan_pane
        people = str(plan_pane.query_one("#people-summary").render())
        assert "about 0:10 at their pace of 0:08" in people
        plan_pane.show(ListEntry("record", "people", "anna"))
        await pilot.pause()
        summary = str(app.query_one(RecordForm).query_one("#statement-summary").render())
        assert "at your pace (60 words a minute, from 2 tries)" in summary
        assert "over the target" in summary


async def test_a_statement_shows_which_of_the_three_messages_it_lacks(make_app, slow_speaker):
    app = make_app(data_path=slow_speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f4")
        shown = str(app.main_screen.rehearse_pane.query_one("#rehearse-statement").render())
        assert "Not in it yet: it is time to act" in shown
        assert "Not in it yet: love and support" not in shown  # "I love you"
        assert "Not in it yet: how the drug use has touched you" not in shown  # "I am scared"
