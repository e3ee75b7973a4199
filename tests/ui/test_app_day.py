"""From plan to meeting day in the app: the days left and the tasks due on the Overview, the
approach, owners picked from the plan's people, and the exports for printing and calendars."""

import json
import os
import stat
from datetime import UTC, datetime

import pytest
from textual.widgets import Input, OptionList, Static

from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.export import ExportScreen
from tui.ui.widgets.plan_pane import ListEntry, meeting_day

# Far from the day the tests run, so that anything reading the real clock shows.
NOW = datetime(2030, 3, 10, 12, 0, tzinfo=UTC)
TASK_DATES = [  # task, owner, due: one overdue, three due within a week, one later
    ("start-find-specialist", "Anna", "2030-03-07"),
    ("start-book-intake", "Cleo", "2030-03-12"),
    ("start-transport", "Ben", "2030-03-10"),
    ("start-statements", "Anna", "2030-03-16"),
    ("start-rehearse", "Ben", "2030-03-21"),
]


def stored(path, table: str) -> dict[str, dict]:
    """The records of a table in the plan file, by their ids."""
    rows = json.loads(path.read_text()).get(table, {}).values()
    return {row["id"]: row for row in rows}


@pytest.fixture
def day_plan(data):
    """Three people, a meeting two weeks out, five tasks with owners and due dates."""
    session = PlanSession(Store(data))
    people = {
        name: session.add("people", {"name": name, "role": role})
        for name, role in [("Anna", "chair"), ("Ben", "member"), ("Cleo", "logistics")]
    }
    session.set_field(FieldKey("meeting", "meeting", "approach"), "surprise meeting")
    session.set_field(FieldKey("meeting", "meeting", "when"), "2030-03-24 18:30")
    for task_id, owner, due in TASK_DATES:
        session.set_field(FieldKey("tasks", task_id, "owner"), people[owner])
        session.set_field(FieldKey("tasks", task_id, "due"), due)
    return data


@pytest.fixture
def day_app(make_app, day_plan):
    return make_app(data_path=day_plan, wall_clock=lambda: NOW)


async def open_plan(pilot):
    await pilot.press("f3")
    await pilot.app.main_screen.work_panes_ready.wait()
    await pilot.pause()
    return pilot.app.main_screen.plan_pane


def prompts(option_list: OptionList) -> list[str]:
    return [str(option.prompt) for option in option_list.options]


async def test_overview_shows_the_days_left_and_the_tasks_due_with_their_owners(day_app):
    async with day_app.run_test(size=(80, 24)) as pilot:
        pane = await open_plan(pilot)
        day = str(pane.query_one("#meeting-day", Static).render())
        assert "Sunday 24 March 2030, 18:30: 14 days left." in day
        assert prompts(pane.query_one("#tasks-due", OptionList)) == [
            "✘ 3 days overdue: Find an addiction specialist — Anna",
            "· due today: Arrange transport, and decide who drives — Ben",
            "· in 2 days: Book the intake, and ask for a bed to be held — Cleo",
            "· in 6 days: Write the statements — Anna",
        ]
        readiness = prompts(pane.query_one("#readiness", OptionList))
        assert "✘ No task is overdue — 1 overdue: Find an addiction specialist (Anna)" in readiness


async def test_enter_on_a_task_due_opens_it(day_app):
    async with day_app.run_test(size=(80, 24)) as pilot:
        pane = await open_plan(pilot)
        due = pane.query_one("#tasks-due", OptionList)
        due.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pane.showing == ListEntry("record", "tasks", "start-transport")
        assert pilot.app.focused.id == "field-title"
        assert pilot.app.focused.value == "Arrange transport, and decide who drives"


async def test_choosing_an_approach_on_the_overview_saves_it_and_the_tasks_follow(
    day_app, day_plan
):
    async with day_app.run_test(size=(80, 24)) as pilot:
        pane = await open_plan(pilot)
        approaches = pane.query_one("#approach", OptionList)
        assert [option.id for option in approaches.options] == [
            "not chosen yet",
            "surprise meeting",
            "invitational meeting",
            "CRAFT first",
        ]
        assert prompts(approaches)[1].startswith("● Surprise meeting\n  The family plans")
        approaches.focus()
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert stored(day_plan, "meeting")["meeting"]["approach"] == "invitational meeting"
        assert "start-invite" in stored(day_plan, "tasks")
        approaches = pane.query_one("#approach", OptionList)
        assert prompts(approaches)[2].startswith("● Invitational meeting")
        assert pilot.app.focused is approaches


async def test_the_approach_links_to_the_guides_comparison(day_app):
    async with day_app.run_test(size=(80, 24)) as pilot:
        pane = await open_plan(pilot)
        pane.query_one("#approach-guide").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.main_screen.guide_pane.current.id == "approaches"


@pytest.mark.parametrize(
    ("table", "record_id"), [("tasks", "start-bag"), ("checklist", "day-driver")]
)
async def test_who_sees_to_it_is_picked_from_the_plans_people(day_app, day_plan, table, record_id):
    people = {p["name"]: p["id"] for p in stored(day_plan, "people").values()}
    async with day_app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        pilot.app.main_screen.open_plan_entry(ListEntry("record", table, record_id))
        await pilot.pause()
        owner = pilot.app.main_screen.plan_pane.query_one("#field-owner")
        owner.focus()
        assert "nobody yet" in str(owner.render())
        await pilot.press("right")
        await pilot.pause()
        assert stored(day_plan, table)[record_id]["owner"] == people["Anna"]
        await pilot.press("right", "right")
        await pilot.pause()
        assert stored(day_plan, table)[record_id]["owner"] == people["Cleo"]
        assert "Cleo" in str(owner.render())
        await pilot.press("right")
        await pilot.pause()
        assert stored(day_plan, table)[record_id]["owner"] == ""


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("HOME", str(home))
    return home


async def open_export(pilot, entry: str) -> ExportScreen:
    """Choose an export in the command palette, as a user would."""
    await pilot.press("ctrl+p", *entry)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportScreen)
    return pilot.app.screen


@pytest.mark.parametrize(
    ("entry", "name", "beginning"),
    [
        ("Export for printing", "kindred-plan.html", b"<!DOCTYPE html>"),
        ("Export to calendar", "kindred-plan.ics", b"BEGIN:VCALENDAR"),
    ],
)
async def test_export_from_the_palette_writes_a_private_file_in_the_home_folder(
    day_app, home, entry, name, beginning
):
    async with day_app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_plan(pilot)
        dialog = await open_export(pilot, entry)
        assert dialog.query_one("#export-name", Input).value == f"~/{name}"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ExportScreen)
        written = home / name
        assert written.read_bytes().startswith(beginning)
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        toasts = "\n".join(str(toast.render()) for toast in pilot.app.screen.query("Toast"))
        assert f"Wrote {written}. Only you can read it." in toasts


async def test_export_from_the_overview_asks_before_replacing_a_file(day_app, home):
    existing = home / "kindred-plan.html"
    existing.write_text("the only copy of something")
    async with day_app.run_test(size=(80, 24)) as pilot:
        pane = await open_plan(pilot)
        pane.query_one("#exports", OptionList).focus()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ExportScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "kindred-plan.html already exists" in str(
            pilot.app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("n")
        await pilot.pause()
        assert existing.read_text() == "the only copy of something"
        assert isinstance(pilot.app.screen, ExportScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert existing.read_text().startswith("<!DOCTYPE html>")
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600


@pytest.mark.parametrize("kind", ["folder", "fifo"])
async def test_export_refuses_a_folder_or_a_pipe_with_a_message(day_app, home, kind):
    target = home / "printout"
    if kind == "folder":
        target.mkdir()
        expected = "is a folder; give the name of a file to write."
    else:
        os.mkfifo(target)
        expected = "is not an ordinary file"
    async with day_app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        dialog = await open_export(pilot, "Export for printing")
        name = dialog.query_one("#export-name", Input)
        name.value = "~/printout"
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is dialog
        problem = str(dialog.query_one("#export-problem", Static).render())
        assert f"{target} {expected}" in problem
        assert stat.S_ISDIR(target.stat().st_mode) == (kind == "folder")
        assert stat.S_ISFIFO(target.stat().st_mode) == (kind == "fifo")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ExportScreen)


async def test_a_name_without_a_folder_is_written_in_the_home_folder(day_app, home):
    async with day_app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        dialog = await open_export(pilot, "Export to calendar")
        dialog.query_one("#export-name", Input).value = "family.ics"
        await pilot.press("enter")
        await pilot.pause()
    assert (home / "family.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("", "No date yet: set the date and time under Meeting."),
        ("2030-03-11 18:30", "Monday 11 March 2030, 18:30: tomorrow."),
        ("2030-03-10", "Sunday 10 March 2030: today."),
        ("2030-03-09", "Saturday 9 March 2030: 1 day ago."),
        ("Saturday 10am", "“Saturday 10am” is not a date yet"),
    ],
)
def test_the_meeting_day_says_how_many_days_are_left(data, when, shown):
    Store(data).upsert("meeting", "meeting", {"when": when})
    assert shown in str(meeting_day(PlanSession(Store(data)), NOW.date()))
