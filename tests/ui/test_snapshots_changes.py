"""The Changes view, small and large, and a field's earlier values."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from tui.core.rehearsal import Attempt
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

SIZES = [(80, 24), (120, 40)]
START = datetime(2030, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def in_utc(monkeypatch):
    """Times are shown in the local time zone: UTC here, whatever the machine's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def clock_from(start: datetime):
    moments = (start + timedelta(minutes=7 * n) for n in range(1000))
    return lambda: next(moments)


@pytest.fixture
def edited_plan(tmp_path, in_utc):
    path = tmp_path / "plan.json"
    clock = clock_from(START)
    anna = PlanSession(Store(path), who="anna", clock=clock)
    ben = PlanSession(Store(path), who="ben", clock=clock)
    anna.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    cleo = anna.add("people", {"name": "Cleo"})
    ben.reload_from_disk()
    ben.set_field(FieldKey("people", cleo, "relationship"), "mother")
    anna.set_field(FieldKey("people", cleo, "statement"), "You always [b]lie[/b] to me. " * 30)
    ben.set_field(FieldKey("people", cleo, "enabled"), True)
    anna.record_attempt(cleo, Attempt(START, 131.0))
    ben.set_field(FieldKey("meeting", "meeting", "place"), "Grandma's kitchen")
    ben.set_field(FieldKey("people", cleo, "relationship"), "mum")
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_changes_view(snap_compare, make_app, edited_plan, size):
    assert snap_compare(make_app(data_path=edited_plan), press=["f3", "h"], terminal_size=size)


def test_changes_of_one_person(snap_compare, make_app, edited_plan):
    assert snap_compare(make_app(data_path=edited_plan), press=["f3", "h", "f", "f"])


def test_earlier_values_of_a_field(snap_compare, make_app, edited_plan):
    async def open_cleos_relationship(pilot) -> None:
        await pilot.press("f3", "down", "down", "enter")
        await pilot.pause(0.2)  # the form laid out before the focus moves into it
        await pilot.press("tab", "f7")

    app = make_app(data_path=edited_plan)
    assert snap_compare(app, run_before=open_cleos_relationship, terminal_size=(80, 24))
