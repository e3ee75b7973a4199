"""Tasks and the checklist for the day: what Kindred offers and when, what is due, the days
left, and how readiness follows the tasks and the approach."""

from datetime import date

import pytest

from tui.core.approaches import (
    APPROACH_NAMES,
    APPROACHES,
    APPROACHES_BY_NAME,
    CRAFT_FIRST,
    INVITATIONAL,
    NOT_CHOSEN,
    SURPRISE,
)
from tui.core.guide import load_guide
from tui.core.plan import TASKS, Plan, ValidationError, defaults, readiness
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store
from tui.core.tasks import (
    day_checklist,
    days_left,
    offer_for_new_approach,
    overdue_tasks,
    starting_tasks,
    tasks_due,
)

TODAY = date(2026, 12, 1)
APPROACH = FieldKey("meeting", "meeting", "approach")


def titles(tasks: list[dict]) -> list[str]:
    return [task["title"] for task in tasks]


def task(task_id: str, title: str = "", **fields) -> dict:
    return {**defaults(TASKS), "id": task_id, "title": title or task_id, **fields}


def labels(plan: Plan) -> dict[str, object]:
    return {item.label: item for item in readiness(plan, TODAY)}


# What is offered


def test_the_starting_tasks_are_the_guides_preparation_steps():
    offered = titles(starting_tasks(NOT_CHOSEN))
    for step in (
        "Choose the approach together",
        "Find an addiction specialist",
        "Agree who takes part",
        "Book the intake, and ask for a bed to be held",
        "Arrange transport, and decide who drives",
        "Pack a bag with clothes and essentials",
        "Write the statements",
        "Plan a rehearsal with everyone, and rehearse",
        "Get naloxone, and learn how to give it",
    ):
        assert step in offered
    assert all(
        task["owner"] == "" and not task["done"] and task["due"] == ""
        for task in starting_tasks(NOT_CHOSEN)
    )


def test_the_starting_tasks_follow_the_approach():
    surprise = titles(starting_tasks(SURPRISE))
    invitational = titles(starting_tasks(INVITATIONAL))
    craft = titles(starting_tasks(CRAFT_FIRST))
    assert "Keep the plan private until the day" in surprise
    assert "Invite your loved one, and say who will be there" in invitational
    assert "Keep the plan private until the day" not in invitational
    assert "Find a CRAFT counsellor or programme" in craft
    assert "Book the intake, and ask for a bed to be held" not in craft
    assert "Get naloxone, and learn how to give it" in craft
    assert "Choose the approach together" not in surprise + invitational + craft


def test_every_approach_has_a_line_saying_what_it_is_and_a_link_to_the_comparison():
    assert APPROACH_NAMES == (NOT_CHOSEN, SURPRISE, INVITATIONAL, CRAFT_FIRST)
    for approach in APPROACHES:
        assert approach.description.endswith(".") and "\n" not in approach.description
        assert approach.guide_link.startswith("approaches")


def every_offered_link() -> list[str]:
    links = {task["guide_link"] for name in APPROACH_NAMES for task in starting_tasks(name)}
    return sorted(links | {approach.guide_link for approach in APPROACHES})


@pytest.mark.parametrize("link", every_offered_link())
def test_every_offered_task_links_to_a_heading_the_guide_has(link):
    guide = load_guide()
    section_id, _, slug = link.partition("#")
    assert section_id in guide
    assert not slug or slug in [heading.slug for heading in guide[section_id].headings]


def test_the_checklist_for_the_day_names_what_the_day_needs():
    items = [item["item"] for item in day_checklist()]
    for needed in (
        "ID and insurance card for the intake",
        "The packed bag",
        "Someone to drive, and the car ready",
        "The intake time, confirmed with the service",
        "Printed statements",
        "Naloxone, and who holds it",
        "Charged phones",
        "The specialist's phone number",
    ):
        assert needed in items


# When it is offered: a real plan file


@pytest.fixture
def session(tmp_path) -> PlanSession:
    return PlanSession(Store(tmp_path / "plan.json"))


def test_opening_a_new_plan_writes_nothing_and_its_first_change_brings_the_offer(session):
    assert session.plan.lists["tasks"] == [] and not session.store.path.exists()
    session.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    assert titles(session.plan.lists["tasks"]) == titles(starting_tasks(NOT_CHOSEN))
    assert [i["item"] for i in session.plan.lists["checklist"]] == [
        i["item"] for i in day_checklist()
    ]


def test_offered_tasks_are_the_familys_to_change_tick_and_delete(session):
    anna = session.add("people", {"name": "Anna"})
    session.set_field(FieldKey("tasks", "start-bag", "owner"), anna)
    session.set_field(FieldKey("tasks", "start-bag", "title"), "Pack Sam's bag")
    session.set_field(FieldKey("tasks", "start-cost", "done"), True)
    session.delete("tasks", "start-children")
    session.add("tasks", {"title": "Ask Uncle Joe to mind the dog"})
    reopened = PlanSession(session.store).plan
    bag = reopened.record("tasks", "start-bag")
    assert bag["owner"] == anna and bag["title"] == "Pack Sam's bag"
    assert reopened.record("tasks", "start-cost")["done"] is True
    assert reopened.record("tasks", "start-children") is None
    assert "Ask Uncle Joe to mind the dog" in titles(reopened.lists["tasks"])


def test_a_plan_emptied_of_tasks_is_not_offered_them_again_by_other_changes(session):
    session.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    for record in list(session.plan.lists["tasks"]):
        session.delete("tasks", record["id"])
    session.set_field(FieldKey("plan", "plan", "title"), "Winter plan")
    assert session.plan.lists["tasks"] == []


def test_choosing_the_approach_adds_its_tasks_and_takes_away_untouched_ones(session):
    session.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    session.set_field(FieldKey("tasks", "start-choose-approach", "done"), True)  # touched
    session.set_field(APPROACH, INVITATIONAL)
    offered = titles(session.plan.lists["tasks"])
    assert "Invite your loved one, and say who will be there" in offered
    assert "Choose the approach together" in offered  # someone ticked it: it stays

    session.set_field(APPROACH, SURPRISE)
    offered = titles(session.plan.lists["tasks"])
    assert "Keep the plan private until the day" in offered
    assert "Invite your loved one, and say who will be there" not in offered


def test_a_task_someone_took_on_stays_when_the_approach_changes(session):
    anna = session.add("people", {"name": "Anna"})
    session.set_field(APPROACH, INVITATIONAL)
    session.set_field(FieldKey("tasks", "start-invite", "owner"), anna)
    session.set_field(APPROACH, CRAFT_FIRST)
    offered = titles(session.plan.lists["tasks"])
    assert "Invite your loved one, and say who will be there" in offered
    assert "Agree what the invitation says, and who gives it" not in offered
    assert "Find a CRAFT counsellor or programme" in offered
    assert "Book the intake, and ask for a bed to be held" not in offered


def test_a_deleted_task_the_new_approach_also_offers_is_not_brought_back():
    tasks = [task for task in starting_tasks(NOT_CHOSEN) if task["id"] != "start-bag"]
    additions, taken_away = offer_for_new_approach(tasks, day_checklist(), NOT_CHOSEN, SURPRISE)
    assert titles(additions["tasks"]) == ["Keep the plan private until the day"]
    assert additions["checklist"] == []
    assert taken_away == ["start-choose-approach"]


def test_a_plan_without_tasks_is_offered_the_whole_list_when_it_chooses_an_approach():
    additions, taken_away = offer_for_new_approach([], [], NOT_CHOSEN, SURPRISE)
    assert additions == {"tasks": starting_tasks(SURPRISE), "checklist": day_checklist()}
    assert taken_away == []


def test_deleting_a_person_leaves_their_tasks_to_nobody(session):
    anna = session.add("people", {"name": "Anna"})
    session.set_field(FieldKey("tasks", "start-bag", "owner"), anna)
    session.set_field(FieldKey("checklist", "day-bag", "owner"), anna)
    session.delete("people", anna)
    on_disk = Store(session.store.path).read()
    assert {row["owner"] for row in on_disk["tasks"]} == {""}
    assert {row["owner"] for row in on_disk["checklist"]} == {""}


def test_only_one_of_the_plans_people_can_see_to_a_task(session):
    session.add("people", {"name": "Anna"})
    with pytest.raises(ValidationError, match="no longer in the plan"):
        session.set_field(FieldKey("tasks", "start-bag", "owner"), "someone-else")
    assert session.plan.record("tasks", "start-bag")["owner"] == ""


def test_an_owner_who_is_not_among_the_people_shows_as_nobody():
    plan = Plan.from_tables({"tasks": [task("t", owner="gone")]})
    assert plan.record("tasks", "t")["owner"] == ""


# What is due


def test_overdue_tasks_come_first_then_the_next_seven_days_by_due_date():
    people = [{"id": "anna", "name": "Anna"}, {"id": "bob", "name": "Bob"}]
    plan = Plan.from_tables(
        {
            "people": people,
            "tasks": [
                task("far", due="2026-12-09"),  # 8 days: not yet
                task("week", due="2026-12-08", owner="bob"),  # 7 days: due soon
                task("today", due="2026-12-01"),
                task("late", due="2026-11-30", owner="anna"),
                task("later", due="2026-11-20"),
                task("done", due="2026-11-25", done=True),
                task("undated"),
                task("b-tomorrow", due="2026-12-02"),
                task("a-tomorrow", due="2026-12-02"),
            ],
        }
    )
    due = tasks_due(plan, TODAY)
    assert [d.task["id"] for d in due] == [
        "later",
        "late",
        "today",
        "a-tomorrow",
        "b-tomorrow",
        "week",
    ]
    assert [d.overdue for d in due] == [True, True, False, False, False, False]
    assert [d.days for d in due] == [-11, -1, 0, 1, 1, 7]
    assert [d.owner for d in due][:3] == ["nobody yet", "Anna", "nobody yet"]
    assert [d.task["id"] for d in overdue_tasks(plan, TODAY)] == ["later", "late"]


def test_days_left_to_the_meeting():
    def left(when: str) -> int | None:
        return days_left(Plan.from_tables({"meeting": [{"id": "meeting", "when": when}]}), TODAY)

    assert left("2026-12-20T18:30:00+00:00") == 19
    assert left("2026-12-01") == 0
    assert left("2026-11-29") == -2
    assert left("") is None
    assert left("Saturday 10am") is None


# Readiness


def test_readiness_counts_the_overdue_tasks_and_names_who_sees_to_them():
    plan = Plan.from_tables(
        {
            "people": [{"id": "anna", "name": "Anna"}],
            "tasks": [
                task(
                    "book",
                    "Book the intake",
                    due="2026-11-28",
                    owner="anna",
                    guide_link="preparation-steps#arrange-treatment-in-advance",
                ),
                task("bag", "Pack the bag", due="2026-11-30"),
                task("rehearse", "Rehearse", due="2026-12-01"),
            ],
        }
    )
    item = labels(plan)["No task is overdue"]
    assert not item.done
    assert item.detail == "2 overdue: Book the intake (Anna), Pack the bag (nobody yet)"
    assert item.guide_link == "preparation-steps#arrange-treatment-in-advance"
    assert labels(Plan.from_tables({"tasks": [task("x", due="2026-12-01")]}))[
        "No task is overdue"
    ].done


def test_readiness_asks_that_every_open_task_has_someone():
    unowned = Plan.from_tables({"tasks": [task("bag", "Pack the bag"), task("x", done=True)]})
    item = labels(unowned)["Every open task has someone who sees to it"]
    assert not item.done and item.detail == "Nobody sees to: Pack the bag"
    owned = Plan.from_tables(
        {
            "people": [{"id": "anna", "name": "Anna"}],
            "tasks": [task("bag", "Pack the bag", owner="anna"), task("x", done=True)],
        }
    )
    assert labels(owned)["Every open task has someone who sees to it"].done


def with_approach(approach: str, **meeting) -> Plan:
    return Plan.from_tables({"meeting": [{"id": "meeting", "approach": approach, **meeting}]})


def test_readiness_follows_the_approach():
    not_chosen = labels(with_approach(NOT_CHOSEN))
    assert not not_chosen["The approach is chosen"].done
    assert not_chosen["The approach is chosen"].guide_link == "approaches"
    assert "Who brings your loved one, and how, is agreed" not in not_chosen

    surprise = labels(with_approach(SURPRISE, who_brings="Bob"))
    assert surprise["The approach is chosen"].done
    assert surprise["Who brings your loved one, and how, is agreed"].detail == (
        "Not yet agreed: how."
    )
    invitational = labels(with_approach(INVITATIONAL, who_brings="Bob", how_brought="A call"))
    assert invitational["The invitation is agreed: who gives it, and what it says"].done
    assert "Who brings your loved one, and how, is agreed" not in invitational

    craft = labels(with_approach(CRAFT_FIRST))
    assert "A CRAFT counsellor has agreed to work with you" in craft
    assert "Every statement is written" not in craft
    assert "The meeting has a date and a time" not in craft
    assert "A specialist has agreed to help" in surprise
    assert "Every statement is written" in surprise


def test_safety_and_objections_count_for_a_meeting_and_not_for_craft_first():
    naloxone = "Naloxone is in the room, and someone holds it"
    objections = "Every objection practised, and its last try went well"
    for approach in (NOT_CHOSEN, SURPRISE, INVITATIONAL):
        items = labels(with_approach(approach))
        assert naloxone in items and objections in items
    assert list(labels(with_approach(CRAFT_FIRST))) == [
        "The approach is chosen",
        "A CRAFT counsellor has agreed to work with you",
        "Every open task has someone who sees to it",
        "No task is overdue",
    ]


def test_an_approach_the_plan_does_not_know_shows_as_not_chosen():
    plan = with_approach("intervention by ambush")
    assert plan.records["meeting"]["approach"] == NOT_CHOSEN
    assert APPROACHES_BY_NAME[plan.records["meeting"]["approach"]].name == NOT_CHOSEN
