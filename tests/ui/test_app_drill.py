"""The objection drill in Rehearse: one objection at a time, timed, marked, and the next."""

import json
from datetime import UTC, datetime
from random import Random

import pytest
from fake_clock import FakeClock

from tui.core.store import Store
from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
from tui.ui.widgets.rehearse_pane import OBJECTIONS

OBJECTIONS_SAID = {
    "job": ("I can't lose my job.", "Your job is safer if you get help now.", 30),
    "quit": ("I'll quit on my own.", "You have tried, and we saw how hard it was.", 30),
    "money": ("We can't afford it.", "The program takes our insurance.", 45),
}


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def drill_app(make_app, tmp_path, clock):
    data = tmp_path / "plan.json"
    store = Store(data)
    store.insert("people", {"id": "anna", "name": "Anna", "order": 1, "statement": "I love you."})
    for objection_id, (said, answer, target) in OBJECTIONS_SAID.items():
        store.insert(
            "objections",
            {"id": objection_id, "objection": said, "answer": answer, "target_seconds": target},
        )
    wall = lambda: datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # noqa: E731
    return make_app(data_path=data, clock=clock, wall_clock=wall), data


def tries(data) -> list[tuple[str, float, str]]:
    saved = json.loads(data.read_text()).get("objection_tries", {})
    return [(one["objection_id"], one["seconds"], one["mark"]) for one in saved.values()]


async def open_drill(app, pilot):
    await app.main_screen.work_panes_ready.wait()
    await pilot.press("f4")
    pane = app.main_screen.rehearse_pane
    pane.random = Random(7)
    pane.choose(OBJECTIONS)
    await pilot.pause()
    return pane


def told(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


def shown(pane) -> str:
    return str(pane.query_one("#rehearse-statement").render())


async def test_the_drill_is_listed_beside_the_people_and_the_meeting(drill_app):
    app, _ = drill_app
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f4")
        listing = app.main_screen.rehearse_pane.query_one("#rehearse-list")
        labels = [str(option.prompt) for option in listing.options]
        assert labels == ["1. Anna", "Whole meeting", "Objections"]


async def test_an_objection_is_timed_then_its_answer_shown_then_marked(drill_app, clock):
    app, data = drill_app
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_drill(app, pilot)
        said, answer, _ = OBJECTIONS_SAID[pane.drill.current]
        assert said in shown(pane) and answer not in shown(pane)
        await pilot.press("space")
        assert pane.running
        clock.now += 24
        pane.update_clock()
        assert pane.query_one("#clock").value == "0:24"
        await pilot.press("space")
        assert not pane.running
        assert answer in shown(pane), "the prepared answer shows once the try is stopped"
        assert "w went well" in str(pane.query_one("#light").render())
        assert tries(data) == [], "nothing is saved before the try is marked"
        await pilot.press("x")
        assert tries(data) == [(pane.drill.current, 24.0, "needs work")]
        assert answer in shown(pane), "the answer stays until the next objection"
        assert "1 try, 0 went well · last 0:24" in str(pane.query_one("#history-summary").render())


async def test_n_goes_through_every_objection_before_any_comes_again(drill_app, clock):
    app, data = drill_app
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_drill(app, pilot)
        seen = [pane.drill.current]
        for _ in range(2):
            await pilot.press("space")
            clock.now += 20
            await pilot.press("space", "w", "n")
            seen.append(pane.drill.current)
        assert sorted(seen) == sorted(OBJECTIONS_SAID)
        said, answer, _ = OBJECTIONS_SAID[seen[-1]]
        assert said in shown(pane) and answer not in shown(pane)
        assert pane.query_one("#clock").value == "0:00"
        assert [mark for _, _, mark in tries(data)] == ["went well", "went well"]


async def test_a_try_that_needs_work_comes_back_after_one_other(drill_app, clock):
    app, _ = drill_app
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_drill(app, pilot)
        first = pane.drill.current
        await pilot.press("space")
        clock.now += 50
        await pilot.press("space", "x", "n", "n")
        assert pane.drill.current == first


async def test_marking_without_a_stopped_try_says_what_to_do(drill_app):
    app, data = drill_app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_drill(app, pilot)
        await pilot.press("w")
        assert tries(data) == []
        await pilot.pause()
        assert "Time a try first" in told(app)


async def test_an_unmarked_try_is_dropped_with_a_word_when_moving_on(drill_app, clock):
    app, data = drill_app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        pane = await open_drill(app, pilot)
        await pilot.press("space")
        clock.now += 10
        await pilot.press("space", "n")
        assert tries(data) == []
        await pilot.pause()
        assert "not marked" in told(app)
        assert pane.timing is None


async def test_escape_while_answering_asks_and_keep_waits_for_the_mark(drill_app, clock):
    app, data = drill_app
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_drill(app, pilot)
        await pilot.press("space")
        clock.now += 12
        await pilot.press("escape")
        assert isinstance(app.screen, KeepOrDiscardScreen)
        await pilot.press("k")
        assert not pane.running and pane.selected == OBJECTIONS
        await pilot.press("w")
        assert tries(data) == [(pane.drill.current, 12.0, "went well")]
