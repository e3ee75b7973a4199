"""Filling in the plan from the keyboard, as a family member would."""

import asyncio
import fcntl
import json
import os
from datetime import date

from textual import events
from waiting import until

import tui.core.store as store_module
from tui.core.session import PlanSession
from tui.core.store import Store
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.data_problem import DataProblemScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.permissions import PermissionsScreen
from tui.ui.widgets.plan_pane import OVERVIEW, ListEntry, nav_options
from tui.ui.widgets.record_form import RecordForm


def saved_people(path) -> list[dict]:
    data = json.loads(path.read_text())
    return sorted(data.get("people", {}).values(), key=lambda person: person["order"])


async def add_person(pilot, name: str) -> None:
    app = pilot.app
    await pilot.press("f3")
    app.main_screen.plan_pane.nav.focus()
    await pilot.press("a", *name, "escape")
    await pilot.pause(0.1)


async def test_keys_typed_before_the_plan_is_built_wait_for_it(make_app, tmp_path, monkeypatch):
    """The plan is built just after the guide is first shown: keys typed sooner are kept."""
    gate = asyncio.Event()
    build = MainScreen.start_work_panes
    late_builds = []

    async def build_late(self):
        async def when_let_through():
            await gate.wait()
            await build(self)

        late_builds.append(asyncio.create_task(when_let_through()))

    monkeypatch.setattr(MainScreen, "start_work_panes", build_late)
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ["f3", "a", *"Anna", "escape"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await asyncio.sleep(0.3)  # the app is held up by the first key, so no pilot.pause()
        assert late_builds and not app.main_screen.work_panes_ready.is_set()
        assert app.main_screen.current_pane == "guide"
        gate.set()
        await app.main_screen.work_panes_ready.wait()
        await pilot.pause(0.3)
        assert app.main_screen.current_pane == "plan"
    assert [person["name"] for person in saved_people(data)] == ["Anna"]


async def test_plan_key_opens_the_overview(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert app.main_screen.plan_pane.showing == OVERVIEW
        assert app.focused is app.main_screen.plan_pane.nav


async def test_adding_people_saves_them_in_speaking_order(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in ("Anna", "Ben", "Cleo"):
            await add_person(pilot, name)
        assert [p["name"] for p in saved_people(data)] == ["Anna", "Ben", "Cleo"]
        assert [p["order"] for p in saved_people(data)] == [1, 2, 3]
        assert "All changes saved" in str(app.query_one("#plan-status").render())


async def test_edits_save_themselves_shortly_after_typing_stops(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.press("a", *"Anna", "tab", *"sister")
        await pilot.pause(1.0)
        assert saved_people(data)[0]["relationship"] == "sister"


async def test_keys_typed_in_a_burst_land_in_the_right_fields(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = ["f3", "down", "down", "enter", *"Anna", "tab", *"sister", "escape"]
        for key in keys:
            character = key if len(key) == 1 else None
            app.post_message(events.Key(key, character))
        await pilot.pause(1.0)
        people = saved_people(data)
        assert [(p["name"], p["relationship"]) for p in people] == [("Anna", "sister")]


async def test_statement_editor_shows_words_time_and_coach(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a")
        form = app.query_one(RecordForm)
        statement = form.query_one("#field-statement")
        statement.focus()
        await pilot.press(*"You always lie. I love you.")
        summary = str(form.query_one("#statement-summary").render())
        assert "6 words" in summary
        assert "target 2:00" in summary
        assert "you always" in summary.lower()


async def test_a_refused_value_is_explained_and_not_saved(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a")
        form = app.query_one(RecordForm)
        target = form.query_one("#field-target_seconds")
        target.focus()
        target.value = ""
        await pilot.press(*"soon", "tab")
        await pilot.pause(0.2)
        error = form.query_one("#error-target_seconds")
        assert error.display and "minutes:seconds" in str(error.render())
        assert saved_people(data)[0]["target_seconds"] == 120
        assert target.value == "soon"


def shown_notifications(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_text_over_the_limit_in_the_file_is_shown_cut_and_kept_until_changed(
    make_app, tmp_path
):
    data = tmp_path / "plan.json"
    statement = "word " * 5_000  # 25,000 characters, a file edited by hand; the limit is 20,000
    Store(data).insert("people", {"id": "anna", "name": "Anna", "statement": statement, "order": 1})
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        told = shown_notifications(app)
        assert "longer than Kindred allows" in told and "Statement (Anna)" in told
        await pilot.press("f3")
        nav = app.main_screen.plan_pane.nav
        nav.highlighted = [option.id for option in nav.options].index("people:anna")
        await pilot.pause()
        form = app.query_one(RecordForm)
        area = form.query_one("#field-statement")
        assert area.text == statement[:20_000]
        note = form.query_one("#error-statement")
        assert note.display and "25,000 characters" in str(note.render())
        # Another field changes; the statement in the file stays whole.
        form.query_one("#field-relationship").focus()
        await pilot.press(*"sister", "tab")
        await pilot.pause(0.7)
        assert saved_people(data)[0]["relationship"] == "sister"
        assert saved_people(data)[0]["statement"] == statement
        # Changing the statement saves what is shown, changed.
        area.focus()
        area.move_cursor((0, 0))
        await pilot.press("delete", "tab")
        await pilot.pause(0.7)
        assert saved_people(data)[0]["statement"] == statement[1:20_000]
        assert not note.display
    assert saved_people(data)[0]["statement"] == statement[1:20_000]


async def test_text_over_the_limit_is_told_once(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).insert("people", {"id": "anna", "name": "A" * 300, "order": 1})
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "longer than Kindred allows" in shown_notifications(app)
        app.clear_notifications()
        Store(data).insert("people", {"id": "ben", "name": "Ben", "order": 2})
        app.main_screen.plan_pane.check_outside_changes()  # as the app does every second
        await pilot.pause()
        assert "Ben" in [person["name"] for person in app.main_screen.plan_pane.session.plan.people]
        assert "longer than Kindred allows" not in shown_notifications(app)
    assert saved_people(data)[0]["name"] == "A" * 300


async def test_reordering_people(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in ("Anna", "Ben"):
            await add_person(pilot, name)
        nav = app.main_screen.plan_pane.nav
        ben = next(p for p in saved_people(data) if p["name"] == "Ben")
        nav.highlighted = [o.id for o in nav.options].index(f"people:{ben['id']}")
        await pilot.press("shift+up")
        assert [p["name"] for p in saved_people(data)] == ["Ben", "Anna"]
        assert nav.highlighted_entry == ListEntry("record", "people", ben["id"])


async def test_deleting_asks_first(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await add_person(pilot, "Anna")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert len(saved_people(data)) == 1
        await pilot.press("delete")
        await pilot.press("y")
        await pilot.pause()
        assert saved_people(data) == []


async def test_readiness_follows_the_plan(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        # Of nineteen, only "no task is overdue" holds for a new plan.
        assert "ready 1/23" in str(app.main_screen.plan_pane.nav.get_option_at_index(0).prompt)
        for name in ("Anna", "Ben"):
            await add_person(pilot, name)
        assert "ready 2/23" in str(app.main_screen.plan_pane.nav.get_option_at_index(0).prompt)


async def test_a_readiness_item_done_opens_the_guide(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        readiness = app.query_one("#readiness")
        readiness.focus()
        readiness.highlighted = readiness.option_count - 1  # "No task is overdue"
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.current_pane == "guide"
        assert app.main_screen.guide_pane.current.id == "preparation-steps"


async def test_quitting_saves_what_was_just_typed(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a", *"Anna", "ctrl+q")
    assert saved_people(data)[0]["name"] == "Anna"


async def test_a_corrupt_file_is_explained_and_left_as_it_was(make_app, tmp_path):
    data = tmp_path / "plan.json"
    data.write_bytes(b'{"people": {"1": {"name": "Anna"')
    data.chmod(0o600)
    before = data.read_bytes()
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#problem-message"), "the problem shown")
        assert isinstance(app.screen, DataProblemScreen)
        assert str(data) in str(app.screen.query_one("#problem-message").render())
        await pilot.press("escape")
        await pilot.press("f3")
        assert "not valid JSON" in str(app.query_one("#plan-status").render())
    assert data.read_bytes() == before


async def test_a_fresh_plan_keeps_the_unreadable_file(make_app, tmp_path):
    data = tmp_path / "plan.json"
    data.write_bytes(b"not json at all")
    data.chmod(0o600)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#fresh").press()
        await pilot.pause()
        await add_person(pilot, "Anna")
    kept = list(tmp_path.glob("plan.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"not json at all"
    assert saved_people(data)[0]["name"] == "Anna"


async def test_a_plan_file_made_read_only_is_shown_read_only_and_never_replaced(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).upsert("plan", "plan", {"title": "Spring plan"})
    data.chmod(0o400)
    before = (data.read_bytes(), data.stat().st_ino)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await add_person(pilot, "Anna")
        assert str(app.query_one("#plan-status").render()).startswith("Read-only")
    assert (data.read_bytes(), data.stat().st_ino) == before


async def test_another_sessions_save_is_shown_within_two_seconds(make_app, tmp_path):
    data = tmp_path / "plan.json"
    first, second = make_app(data_path=data), make_app(data_path=data)
    async with first.run_test(size=(80, 24)) as one, second.run_test(size=(80, 24)) as two:
        await add_person(one, "Anna")
        await two.press("f3")
        await two.pause(1.6)
        labels = [str(option.prompt) for option in second.main_screen.plan_pane.nav.options]
        assert any("Anna" in label for label in labels)


async def test_a_plan_others_can_read_is_flagged_at_start(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).upsert("plan", "plan", {"title": ""})
    data.chmod(0o644)
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#permission-findings Static"), "the findings")
        assert isinstance(app.screen, PermissionsScreen)
        text = str(app.screen.query_one("#permission-findings Static").render())
        assert "0644" in text and f"chmod 600 {data}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, PermissionsScreen)
    assert data.stat().st_mode & 0o777 == 0o644


async def test_a_private_plan_opens_without_questions(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).upsert("plan", "plan", {"title": ""})
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.screen_stack) == 1


async def test_command_palette_finds_people(make_app, tmp_path):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await add_person(pilot, "Zelda")
        await pilot.press("f2", "ctrl+p", *"plan: zelda")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        person = saved_people(data)[0]
        assert app.main_screen.current_pane == "plan"
        assert app.main_screen.plan_pane.nav.highlighted_entry == ListEntry(
            "record", "people", person["id"]
        )


async def test_a_slash_typed_in_a_plan_field_is_text(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a", *"and/or")
        await pilot.pause(0.2)
        assert len(app.screen_stack) == 1
        assert app.query_one(RecordForm).query_one("#field-name").value == "and/or"


async def test_a_slash_typed_in_a_statement_is_text(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a")
        statement = app.query_one(RecordForm).query_one("#field-statement")
        statement.focus()
        await pilot.press(*"yes/no")
        await pilot.pause(0.2)
        assert len(app.screen_stack) == 1
        assert statement.text == "yes/no"


async def test_a_plan_opened_in_a_terminal_too_small_at_first_works_once_it_grows(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("f3")
        assert app.main_screen.current_pane == "plan"
        assert app.main_screen.plan_pane.session is not None


async def test_the_app_keeps_running_while_another_program_holds_the_plan(
    make_app, tmp_path, monkeypatch
):
    monkeypatch.setattr(store_module, "_LOCK_WAIT_SECONDS", 0.05)
    data = tmp_path / "plan" / "kindred.json"
    app = make_app(data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "a", *"Anna", "escape")
        await pilot.pause(0.2)
        lock = os.open(data.with_name(data.name + ".lock"), os.O_RDWR)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            await pilot.press("enter", "tab", *"sister", "escape")
            await pilot.pause(0.3)
        finally:
            os.close(lock)
        assert app.is_running
        await pilot.press("ctrl+q")
    assert [person["relationship"] for person in saved_people(data)] == ["sister"]


def test_every_item_in_the_plan_list_reads_back_as_what_it_stands_for(saved_plan):
    options = nav_options(PlanSession(Store(saved_plan)), date(2026, 12, 1))
    entries = [ListEntry.parse(option.id) for option in options]
    assert [entry.id for entry in entries] == [option.id for option in options]
    assert {entry.kind for entry in entries} == {"overview", "part", "add", "record", "single"}
    assert entries[0] == OVERVIEW
    assert ListEntry("record", "people", "anna") in entries
    assert ListEntry("single", "specialist") in entries
    assert ListEntry("add", "treatments") in entries
