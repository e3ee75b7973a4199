"""The Overview with the meeting two weeks out and tasks due, and the export dialog."""

from datetime import UTC, datetime

import pytest

from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

SIZES = [(80, 24), (120, 40)]
NOW = datetime(2030, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def day_plan(tmp_path):
    path = tmp_path / "plan.json"
    store = Store(path)
    for order, (person_id, name) in enumerate([("anna", "Anna"), ("ben", "Ben"), ("cleo", "Cleo")]):
        store.insert("people", {"id": person_id, "name": name, "order": order + 1})
    session = PlanSession(Store(path))
    session.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    session.set_field(FieldKey("meeting", "meeting", "approach"), "surprise meeting")
    session.set_field(FieldKey("meeting", "meeting", "when"), "2030-03-24 18:30")
    for task_id, owner, due in [
        ("start-find-specialist", "anna", "2030-03-07"),
        ("start-book-intake", "cleo", "2030-03-12"),
        ("start-transport", "ben", "2030-03-10"),
        ("start-statements", "anna", "2030-03-16"),
        ("start-rehearse", "ben", "2030-03-21"),
    ]:
        session.set_field(FieldKey("tasks", task_id, "owner"), owner)
        session.set_field(FieldKey("tasks", task_id, "due"), due)
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_overview_with_tasks_due(snap_compare, make_app, day_plan, size):
    app = make_app(data_path=day_plan, wall_clock=lambda: NOW)
    assert snap_compare(app, press=["f3"], terminal_size=size)


def test_export_dialog(snap_compare, make_app, day_plan):
    app = make_app(data_path=day_plan, wall_clock=lambda: NOW)
    keys = ["f3", "ctrl+p", *"Export for printing", "enter"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24))
