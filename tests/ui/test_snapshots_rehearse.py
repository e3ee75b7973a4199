"""Rehearse with a history: a person who has timed their statement several times, and the
whole meeting after run-throughs, small and large."""

from datetime import UTC, datetime, timedelta

import pytest

from tui.core.store import Store

SIZES = [(80, 24), (120, 40)]
FIRST_TRY = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


@pytest.fixture
def rehearsed_plan(tmp_path):
    """Anna has timed her statement five times, getting shorter; Ben once; two run-throughs."""
    path = tmp_path / "plan.json"
    store = Store(path)
    people = [
        ("anna", "Anna", "I love you. I am scared for you, and I want you back. " * 4),
        ("ben", "Ben", "You were always there for me. Please come with us today."),
    ]
    for order, (person_id, name, statement) in enumerate(people, start=1):
        store.insert(
            "people",
            {
                "id": person_id,
                "name": name,
                "relationship": "",
                "role": "member",
                "order": order,
                "target_seconds": 120,
                "statement": statement,
                "bottom_line": "",
            },
        )
    tries = [
        ("anna", 171.2),
        ("anna", 150.4),
        ("anna", 138.9),
        ("ben", 64.0),
        ("anna", 124.5),
        ("anna", 112.8),
    ]
    for day, (person_id, seconds) in enumerate(tries):
        store.insert(
            "attempts",
            {
                "id": f"a{day}",
                "person_id": person_id,
                "seconds": seconds,
                "started_at": (FIRST_TRY + timedelta(days=day)).isoformat(),
            },
        )
    for number, (anna, ben) in enumerate([(130.0, 70.5), (115.2, 61.3)]):
        store.insert(
            "runs",
            {
                "id": f"r{number}",
                "total_seconds": anna + ben,
                "started_at": (FIRST_TRY + timedelta(days=10 + number)).isoformat(),
                "splits": [
                    {"person_id": "anna", "seconds": anna},
                    {"person_id": "ben", "seconds": ben},
                ],
            },
        )
    return path


async def rehearse(pilot, speaker_index: int) -> None:
    await pilot.press("f4")
    pilot.app.main_screen.rehearse_pane.query_one("#rehearse-list").highlighted = speaker_index
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_statement_with_several_attempts(snap_compare, make_app, rehearsed_plan, size):
    async def choose_anna(pilot):
        await rehearse(pilot, 0)

    app = make_app(data_path=rehearsed_plan)
    assert snap_compare(app, run_before=choose_anna, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_history_of_attempts_chosen_to_delete_one(snap_compare, make_app, rehearsed_plan, size):
    """Tab past the statement into the history: an attempt of her own chosen, the delete key
    shown along the bottom."""

    async def into_the_history(pilot):
        await rehearse(pilot, 0)
        await pilot.press("tab", "tab", "down", "down")
        await pilot.pause()

    app = make_app(data_path=rehearsed_plan)
    assert snap_compare(app, run_before=into_the_history, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_whole_meeting_after_run_throughs(snap_compare, make_app, rehearsed_plan, size):
    async def choose_the_meeting(pilot):
        await rehearse(pilot, 2)

    app = make_app(data_path=rehearsed_plan)
    assert snap_compare(app, run_before=choose_the_meeting, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_objection_drill_with_a_try_stopped(snap_compare, make_app, rehearsed_plan, size):
    """An objection that needed work last time comes first; a try of 0:34 against 0:30 is
    stopped, and its prepared answer is shown, waiting for the mark."""
    store = Store(rehearsed_plan)
    store.insert(
        "objections",
        {
            "id": "job",
            "objection": "I can't lose my job. If I go away for a month they will fire me.",
            "answer": "We talked to your manager's policy: medical leave keeps your job safe."
            " Getting well is how you keep it.",
            "target_seconds": 30,
        },
    )
    store.insert("objections", {"id": "quit", "objection": "I'll quit on my own.", "answer": ""})
    store.insert(
        "objection_tries",
        {
            "id": "t1",
            "objection_id": "job",
            "seconds": 41.5,
            "mark": "needs work",
            "started_at": FIRST_TRY.isoformat(),
        },
    )
    readings = iter([1000.0, 1000.0, 1034.2])

    async def stop_a_try(pilot):
        await rehearse(pilot, 3)
        await pilot.press("space", "space")
        await pilot.pause()

    app = make_app(data_path=rehearsed_plan, clock=lambda: next(readings, 1034.2))
    assert snap_compare(app, run_before=stop_a_try, terminal_size=size)
