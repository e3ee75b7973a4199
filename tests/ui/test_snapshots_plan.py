"""What the plan looks like with a few people in it, small and large."""

import pytest

from tui.core.store import Store

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def filled_plan(tmp_path):
    path = tmp_path / "plan.json"
    store = Store(path)
    people = [
        ("anna", "Anna", "sister", "chair", "I love you. I am scared for you. " * 8),
        ("ben", "Ben", "friend", "member", ""),
        ("cleo", "Cleo", "mother", "logistics", "You always [b]lie[/b] to me."),
    ]
    for order, (person_id, name, relationship, role, statement) in enumerate(people, start=1):
        store.insert(
            "people",
            {
                "id": person_id,
                "name": name,
                "relationship": relationship,
                "role": role,
                "order": order,
                "target_seconds": 120,
                "statement": statement,
                "bottom_line": "",
            },
        )
    store.upsert("specialist", "specialist", {"name": "Dr Lee", "agreed": True})
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_plan_overview(snap_compare, make_app, filled_plan, size):
    assert snap_compare(make_app(data_path=filled_plan), press=["f3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_person_form(snap_compare, make_app, filled_plan, size):
    keys = ["f3", "down", "down", "down", "down"]
    assert snap_compare(make_app(data_path=filled_plan), press=keys, terminal_size=size)
