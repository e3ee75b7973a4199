"""Rehearsing statements and the whole meeting, with a fake clock so times are exact."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from fake_clock import FakeClock

from tui.core.rehearsal import statement_fingerprint
from tui.core.session import FieldKey
from tui.core.store import Store
from tui.core.timing import HISTORY_LISTED, when_timed
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.plan_pane import OVERVIEW
from tui.ui.widgets.rehearse_pane import WHOLE_MEETING


def plan_with(path, *names, target=120):
    store = Store(path)
    for order, name in enumerate(names, start=1):
        store.insert(
            "people",
            {
                "id": name.lower(),
                "name": name,
                "relationship": "",
                "role": "member",
                "order": order,
                "target_seconds": target,
                "statement": f"I am {name}.",
                "bottom_line": "",
            },
        )
    return store


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def rehearse_app(make_app, tmp_path, clock):
    data = tmp_path / "plan.json"
    plan_with(data, "Anna", "Ben", "Cleo")
    wall = lambda: datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # noqa: E731
    return make_app(data_path=data, clock=clock, wall_clock=wall), data


def saved(data) -> dict:
    return json.loads(data.read_text())


async def test_rehearse_opens_on_the_first_speaker(rehearse_app):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        pane = app.main_screen.rehearse_pane
        assert pane.selected == "anna"
        assert "I am Anna." in str(pane.query_one("#rehearse-statement").render())


async def test_space_times_and_saves_an_attempt(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        pane = app.main_screen.rehearse_pane
        assert pane.running
        clock.now += 75.4
        pane.update_clock()
        assert pane.query_one("#clock").value == "1:15"
        await pilot.press("space")
        assert not pane.running
        attempts = list(saved(data)["attempts"].values())
        assert [(a["person_id"], a["seconds"]) for a in attempts] == [("anna", 75.4)]
        assert attempts[0]["words"] == 3  # "I am Anna.", kept for the speaker's pace
        assert "1 attempt" in str(pane.query_one("#history-summary").render())
        assert pane.query_one("#clock").value == "1:15"


@pytest.mark.parametrize(
    ("seconds", "light"), [(59, None), (60, "green"), (90, "yellow"), (120, "red")]
)
async def test_lights_change_at_minimum_midpoint_and_target(rehearse_app, clock, seconds, light):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += seconds
        app.main_screen.rehearse_pane.update_clock()
        row = app.main_screen.rehearse_pane.query_one("#clock-row")
        lit = [name for name in ("green", "yellow", "red") if row.has_class(f"-{name}")]
        assert lit == ([light] if light else [])


async def test_the_yellow_light_says_it_is_midway_between_green_and_red(rehearse_app, clock):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += 90  # green at 1:00, red at 2:00
        app.main_screen.rehearse_pane.update_clock()
        light = str(app.main_screen.rehearse_pane.query_one("#light").render())
        assert light == "YELLOW · midway between green and red"


async def test_the_bell_rings_once_at_red_and_can_be_turned_off(rehearse_app, clock):
    app, _ = rehearse_app
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        for _ in range(3):
            clock.now += 60
            app.main_screen.rehearse_pane.update_clock()
        assert rings == [1]
        await pilot.press("space", "b", "space")
        clock.now += 200
        app.main_screen.rehearse_pane.update_clock()
        assert rings == [1]


async def test_escape_while_timing_asks_to_keep_or_discard(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += 30
        await pilot.press("escape")
        assert isinstance(app.screen, KeepOrDiscardScreen)
        await pilot.press("d")
        assert not app.main_screen.rehearse_pane.running
        assert "attempts" not in saved(data)
        await pilot.press("space")
        clock.now += 40
        await pilot.press("escape", "k")
        assert [a["seconds"] for a in saved(data)["attempts"].values()] == [40]


async def test_while_timing_the_arrow_and_page_keys_scroll_the_statement(make_app, tmp_path, clock):
    data = tmp_path / "plan.json"
    plan_with(data, "Anna", "Ben")
    Store(data).update("people", "anna", {"statement": "I love you.\n" * 60})
    app = make_app(data_path=data, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        pane = app.main_screen.rehearse_pane
        text = pane.query_one("#rehearse-text")
        await pilot.press("down", "down")
        assert text.scroll_y == 2
        await pilot.press("pagedown")
        assert text.scroll_y > 2
        await pilot.press("pageup", "up", "up")
        assert text.scroll_y == 0
        assert pane.running and pane.selected == "anna"
        assert not isinstance(app.screen, KeepOrDiscardScreen)
        clock.now += 60
        await pilot.press("space", "down")
        assert pane.selected == "ben", "once stopped, down moves in the list again"


async def test_a_very_short_attempt_is_saved_only_if_wanted(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += 4
        await pilot.press("space")
        assert isinstance(app.screen, ConfirmScreen)
        assert "0:04" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        assert "attempts" not in saved(data)
        assert app.main_screen.rehearse_pane.query_one("#clock").value == "0:00"
        await pilot.press("space")
        clock.now += 29  # under a quarter of the two-minute target
        await pilot.press("space", "n")
        assert [a["seconds"] for a in saved(data)["attempts"].values()] == [29]


async def test_switching_person_while_timing_asks_first(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += 20
        app.main_screen.rehearse("ben")  # as the command palette does
        await pilot.pause()
        assert isinstance(app.screen, KeepOrDiscardScreen)
        assert app.main_screen.rehearse_pane.selected == "anna"
        await pilot.press("k")
        assert app.main_screen.rehearse_pane.selected == "ben"
        assert [a["person_id"] for a in saved(data)["attempts"].values()] == ["anna"]


async def test_whole_meeting_run_through_with_n(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        pane.query_one("#rehearse-list").highlighted = 3
        await pilot.pause()
        assert pane.selected == WHOLE_MEETING
        await pilot.press("space")
        assert "Speaking: Anna" in str(pane.query_one("#rehearse-info").render())
        for seconds in (100, 130, 90):
            clock.now += seconds
            await pilot.press("n")
        runs = list(saved(data)["runs"].values())
        assert len(runs) == 1
        assert runs[0]["total_seconds"] == 320
        assert [(s["person_id"], s["seconds"]) for s in runs[0]["splits"]] == [
            ("anna", 100),
            ("ben", 130),
            ("cleo", 90),
        ]
        assert "1 run-through" in str(pane.query_one("#history-summary").render())
        assert str(pane.query_one("#light").render()) == "END · the run-through is over"
        assert pane.query_one("#clock").value == "5:20", "the clock shows the whole length"


async def test_timer_keeps_running_in_a_strip_while_reading_the_guide(rehearse_app, clock):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "space")
        clock.now += 65
        app.main_screen.rehearse_pane.update_clock()
        await pilot.press("f2")
        strip = app.query_one("#timer-strip")
        assert strip.display and "1:05" in str(strip.render())
        clock.now += 5
        app.main_screen.rehearse_pane.update_clock()
        await pilot.pause()  # the pane tells the screen with a message
        assert "1:10" in str(strip.render())
        await pilot.press("f4")
        assert not strip.display
        assert app.main_screen.rehearse_pane.running


async def test_rehearsal_counts_in_readiness(rehearse_app, clock):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        for person in ("anna", "ben", "cleo"):
            app.main_screen.rehearse_pane.selected = person
            app.main_screen.rehearse_pane.show_selected()
            await pilot.press("space")
            clock.now += 50
            await pilot.press("space")
        await pilot.press("f3")
        items = [str(option.prompt) for option in app.query_one("#readiness").options]
        assert any(item.startswith("✔ Everyone has rehearsed") for item in items)


async def test_a_statement_rewritten_after_it_was_timed_is_changed_since_last_rehearsed(
    rehearse_app, clock
):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        for person in ("anna", "ben", "cleo"):
            pane.selected = person
            pane.show_selected()
            await pilot.press("space")
            clock.now += 50
            await pilot.press("space")
        pane.selected = "anna"
        pane.show_selected()
        info = pane.query_one("#rehearse-info")
        assert "changed since last rehearsed" not in str(info.render())
        app.session.set_field(FieldKey("people", "anna", "statement"), "I am Anna. I love you.")
        app.main_screen.plan_pane.rebuild_nav()  # as an edit in the plan does
        await pilot.pause()
        assert "Anna · target 2:00 · changed since last rehearsed" in str(info.render())
        await pilot.press("f3")
        items = [str(option.prompt) for option in app.query_one("#readiness").options]
        assert (
            "✘ Everyone has rehearsed at least once — Changed since last rehearsed: Anna" in items
        )
        await pilot.press("f4", "space")
        clock.now += 50
        await pilot.press("space")
        assert "changed since last rehearsed" not in str(info.render())


async def test_a_run_through_counts_as_a_rehearsal_for_everyone_who_spoke(
    make_app, tmp_path, clock
):
    data = tmp_path / "plan.json"
    plan_with(data, "Anna", "Ben", "Cleo")
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    app = make_app(
        data_path=data, clock=clock, wall_clock=lambda: start + timedelta(seconds=clock.now)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        speakers = app.main_screen.rehearse_pane.query_one("#rehearse-list")
        speakers.highlighted = 3  # the whole meeting
        await pilot.pause()
        await pilot.press("space")
        for seconds in (100, 130, 90):  # Ben goes over his two minutes
            clock.now += seconds
            await pilot.press("n")
        [run] = saved(data)["runs"].values()
        assert [split["fingerprint"] for split in run["splits"]] == [
            statement_fingerprint(f"I am {name}.") for name in ("Anna", "Ben", "Cleo")
        ]
        await pilot.press("f3")
        items = [str(option.prompt) for option in app.query_one("#readiness").options]
        assert "✔ Everyone has rehearsed at least once" in items
        assert "✘ Everyone's last rehearsal was within their target — Over target: Ben" in items

        await pilot.press("f4")
        speakers.highlighted = 1  # Ben, on his own, after the run-through
        await pilot.pause()
        history = str(app.main_screen.rehearse_pane.query_one("#history-summary").render())
        assert history.startswith("1 attempt · last 2:10 (over target)")
        await pilot.press("space")
        clock.now += 100
        await pilot.press("space")
        await pilot.press("f3")
        items = [str(option.prompt) for option in app.query_one("#readiness").options]
        assert "✔ Everyone's last rehearsal was within their target" in items
        await pilot.press("f4")
        history = str(app.main_screen.rehearse_pane.query_one("#history-summary").render())
        assert history.startswith("2 attempts · last 1:40 (within target)")


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("seconds", [0, 60, 90, 120], ids=["off", "green", "yellow", "red"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_lights(snap_compare, rehearse_app, clock, seconds, size):
    app, _ = rehearse_app

    async def run_for(pilot):
        await pilot.pause()
        await pilot.press("f4", "space")
        clock.now += seconds
        app.main_screen.rehearse_pane.update_clock()
        await pilot.pause()

    assert snap_compare(app, run_before=run_for, terminal_size=size)


async def test_rehearse_takes_the_first_speaker_once_the_plan_has_one(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main_screen.work_panes_ready.wait()
        await pilot.press("f4")
        assert app.main_screen.rehearse_pane.selected == "objections"
        await pilot.press("f3")
        app.main_screen.plan_pane.nav.focus()
        await pilot.press("a", *"Maria", "escape")
        await pilot.pause(0.2)
        await pilot.press("f4")
        await pilot.pause()
        maria = app.main_screen.plan_pane.session.plan.people[0]["id"]
        assert app.main_screen.rehearse_pane.selected == maria


def history_lines(pane) -> list[str]:
    return [str(option.prompt) for option in pane.query_one("#history-list").options]


async def test_the_history_lists_each_attempt_newest_first_against_the_target(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        for seconds in (134.5, 100.2):
            await pilot.press("space")
            clock.now += seconds
            await pilot.press("space")
        when = when_timed(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
        assert history_lines(pane) == [f"{when}  1:40  -0:20 under", f"{when}  2:14  +0:14 over"]
        assert "target 2:00" in str(pane.query_one("#history-chart").render())


async def test_an_attempt_is_deleted_from_its_history_after_asking(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        for seconds in (134.5, 100.2):
            await pilot.press("space")
            clock.now += seconds
            await pilot.press("space")
        await pilot.press("delete")  # the list of people has the focus: nothing to delete
        assert len(saved(data)["attempts"]) == 2 and app.screen is app.main_screen
        await pilot.press("tab", "tab")  # past the statement, to the history
        assert app.focused is pane.query_one("#history-list")
        await pilot.pause()
        keys = [(key.display, key.description) for key in app.screen.query_one(KeyBar).keys]
        assert ("del", "Delete attempt") in keys
        await pilot.press("down", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete the attempt of" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")  # kept
        assert len(saved(data)["attempts"]) == 2
        await pilot.press("delete", "y")
        await pilot.pause()
        assert [a["seconds"] for a in saved(data)["attempts"].values()] == [100.2]
        assert [line.split("  ", 1)[1] for line in history_lines(pane)] == ["1:40  -0:20 under"]
        summary = str(pane.query_one("#history-summary").render())
        assert summary.startswith("1 attempt · last 1:40")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert saved(data)["attempts"] == {}
        assert str(pane.query_one("#history-summary").render()) == "No attempts yet."
        await pilot.press("f3")
        items = [str(option.prompt) for option in app.query_one("#readiness").options]
        assert any(item.startswith("✘ Everyone has rehearsed at least once") for item in items)


async def test_ten_thousand_attempts_list_the_newest_and_count_the_rest(make_app, tmp_path):
    data = tmp_path / "plan.json"
    store = plan_with(data, "Anna")
    first = datetime(2025, 1, 1, 18, 0, tzinfo=UTC)
    rows = {
        str(number): {
            "id": f"a{number}",
            "person_id": "anna",
            "started_at": (first + timedelta(hours=number)).isoformat(),
            "seconds": 100.0 + number % 40,
        }
        for number in range(10_000)
    }
    document = json.loads(data.read_text())
    document["attempts"] = rows
    data.write_text(json.dumps(document))
    del store
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        lines = history_lines(pane)
        assert len(lines) == HISTORY_LISTED + 1
        assert lines[0].startswith(when_timed(first + timedelta(hours=9_999)))
        assert lines[-1] == f"… and {10_000 - HISTORY_LISTED:,} earlier attempts, not listed"
        assert str(pane.query_one("#history-summary").render()).startswith("10000 attempts")


async def choose_in_readiness(app, pilot, starting: str) -> None:
    await pilot.press("f3")
    app.main_screen.plan_pane.rebuild_nav(OVERVIEW)
    await pilot.pause()
    readiness = app.query_one("#readiness")
    labels = [str(option.prompt) for option in readiness.options]
    readiness.focus()
    readiness.highlighted = next(i for i, label in enumerate(labels) if label.startswith(starting))
    await pilot.press("enter")
    await pilot.pause()


async def test_readiness_items_not_done_open_where_they_are_put_right(rehearse_app, clock):
    app, _ = rehearse_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        app.session.set_field(FieldKey("meeting", "meeting", "approach"), "surprise meeting")
        app.session.set_field(FieldKey("people", "ben", "statement"), "")
        app.main_screen.plan_pane.rebuild_nav()  # as an edit in the plan does
        await pilot.pause()
        await pilot.press("space")
        clock.now += 50
        await pilot.press("space")  # Anna has rehearsed; Ben and Cleo have not

        await choose_in_readiness(app, pilot, "✘ Everyone has rehearsed at least once")
        screen = app.main_screen
        assert screen.current_pane == "rehearse"
        assert screen.rehearse_pane.selected == "ben"

        await choose_in_readiness(app, pilot, "✘ Every statement is written")
        assert screen.current_pane == "plan"
        form = screen.plan_pane.page
        assert form.record_id == "ben"
        assert app.focused is form.query_one("#field-statement")

        await choose_in_readiness(app, pilot, "✘ The meeting has a date and a time")
        assert app.focused is screen.plan_pane.page.query_one("#field-when")

        await choose_in_readiness(app, pilot, "✘ Every objection practised")
        assert screen.current_pane == "plan"  # none yet: on the line that adds one
        assert screen.plan_pane.nav.highlighted_entry.id == "add:objections"


async def test_a_run_through_is_deleted_from_the_whole_meetings_history(rehearse_app, clock):
    app, data = rehearse_app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        speakers = pane.query_one("#rehearse-list")
        speakers.highlighted = 3  # the whole meeting
        await pilot.pause()
        await pilot.press("space")
        for seconds in (100, 110, 90):
            clock.now += seconds
            await pilot.press("n")
        speakers.highlighted = 0  # Anna: her turn is in her history, deleted with its run
        await pilot.pause()
        assert history_lines(pane)[0].endswith("1:40  -0:20 under · run-through")
        await pilot.press("tab", "tab", "delete")
        assert app.screen is app.main_screen and len(saved(data)["runs"]) == 1
        toasts = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))
        assert "choose Whole meeting and delete the run-through" in toasts

        speakers.highlighted = 3
        speakers.focus()
        await pilot.pause()
        await pilot.press("tab", "tab", "delete")
        assert "Delete the run-through of" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("y")
        await pilot.pause()
        assert saved(data)["runs"] == {}
        assert str(pane.query_one("#history-summary").render()) == "No run-throughs yet."
