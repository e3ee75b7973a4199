"""The objection drill's order: shuffled rounds, and answers that need work come back sooner."""

from itertools import pairwise
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.drill import DrillOrder, drill_order
from tui.core.plan import Plan
from tui.core.rehearsal import Mark

IDS = ["job", "quit", "kids", "money", "doctor"]


def presses(order: DrillOrder, count: int) -> list[str | None]:
    return [order.next() for _ in range(count)]


def test_nothing_comes_up_when_there_are_no_objections():
    order = DrillOrder([], Random(1))
    assert order.next() is None
    assert order.current is None
    order.marked(Mark.NEEDS_WORK)
    assert order.next() is None


def test_a_single_objection_comes_up_every_time():
    order = DrillOrder(["job"], Random(1))
    assert presses(order, 3) == ["job"] * 3
    order.marked(Mark.NEEDS_WORK)
    assert presses(order, 2) == ["job"] * 2


def test_each_round_is_every_objection_once_in_a_new_order():
    order = DrillOrder(IDS, Random(7))
    rounds = [presses(order, len(IDS)) for _ in range(6)]
    assert all(sorted(one_round) == sorted(IDS) for one_round in rounds)
    assert len({tuple(one_round) for one_round in rounds}) > 1


def test_the_same_random_source_gives_the_same_order():
    assert presses(DrillOrder(IDS, Random(3)), 12) == presses(DrillOrder(IDS, Random(3)), 12)


def test_needs_work_comes_back_after_one_other_objection():
    order = DrillOrder(IDS, Random(5))
    first = order.next()
    order.marked(Mark.NEEDS_WORK)
    following = presses(order, 2)
    assert following[0] != first and following[1] == first


def test_went_well_after_needs_work_takes_the_early_return_back():
    order = DrillOrder(IDS, Random(5))
    first = order.next()
    order.marked(Mark.NEEDS_WORK)
    order.marked(Mark.WENT_WELL)  # tried again at once, and it went well
    assert first not in presses(order, len(IDS) - 1)


def test_coming_back_sooner_is_its_turn_in_a_round_it_had_not_had_yet():
    # "doctor" ends the first round; marked, it comes back in the second, and only once.
    order = DrillOrder(IDS, Random(11))
    first_round = presses(order, len(IDS))
    last = first_round[-1]
    order.marked(Mark.NEEDS_WORK)
    second_round = presses(order, len(IDS))
    assert second_round[1] == last
    assert sorted(second_round) == sorted(IDS)


def test_objections_whose_last_try_needed_work_come_first():
    order = DrillOrder(IDS, Random(2), needs_work=["money", "kids"])
    assert sorted(presses(order, 2)) == ["kids", "money"]
    assert sorted(presses(order, 3)) == ["doctor", "job", "quit"]


def test_a_drill_over_the_plan_starts_with_those_whose_last_try_needed_work():
    def objection_try(objection_id: str, mark: str, day: int) -> dict:
        return {
            "id": f"{objection_id}{day}",
            "objection_id": objection_id,
            "mark": mark,
            "started_at": f"2025-03-0{day}T18:00:00+00:00",
            "seconds": 20,
        }

    plan = Plan.from_tables(
        {
            "objections": [{"id": one, "objection": one} for one in IDS],
            "objection_tries": [
                objection_try("job", "needs work", 1),
                objection_try("job", "went well", 2),
                objection_try("kids", "went well", 1),
                objection_try("kids", "needs work", 2),
            ],
        }
    )
    for seed in range(20):
        assert drill_order(plan, Random(seed)).next() == "kids"


def test_a_deleted_objection_stops_coming_up_and_a_new_one_comes_up_this_round():
    order = DrillOrder(IDS, Random(4))
    current = order.next()
    order.marked(Mark.NEEDS_WORK)
    changed = [one for one in IDS if one != current] + ["bills"]
    order.objections_changed(changed)
    assert order.current is None
    assert sorted(presses(order, len(changed))) == sorted(changed)


# Whatever is pressed and marked, in any order


actions = st.lists(st.sampled_from(["next", "went well", "needs work"]), max_size=60)
counts = st.integers(min_value=2, max_value=6)


def run(count: int, seed: int, steps: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """What came up, in order, and (place in that order, id) for every last mark before
    moving on that said "needs work"."""
    order = DrillOrder([f"o{number}" for number in range(count)], Random(seed))
    shown: list[str] = []
    needing_work: dict[int, str] = {}
    for step in steps:
        if step == "next":
            chosen = order.next()
            assert chosen is not None
            shown.append(chosen)
        elif shown:
            mark = Mark(step)
            order.marked(mark)
            if mark is Mark.NEEDS_WORK:
                needing_work[len(shown) - 1] = shown[-1]
            else:
                needing_work.pop(len(shown) - 1, None)
    return shown, sorted(needing_work.items())


@given(count=counts, seed=st.integers(), steps=actions)
def test_never_the_same_objection_twice_running(count, seed, steps):
    shown, _ = run(count, seed, steps)
    assert all(earlier != later for earlier, later in pairwise(shown))


@given(count=counts, seed=st.integers(), steps=actions)
def test_one_that_needs_work_always_comes_up_two_places_later(count, seed, steps):
    shown, needing_work = run(count, seed, steps)
    for place, objection in needing_work:
        if place + 2 < len(shown):
            assert shown[place + 2] == objection


@given(count=counts, seed=st.integers(), rounds=st.integers(1, 4))
def test_without_needs_work_none_repeats_before_all_have_come_up(count, seed, rounds):
    shown, _ = run(count, seed, ["next", "went well"] * (count * rounds))
    for start in range(0, len(shown), count):
        assert sorted(shown[start : start + count]) == sorted(set(shown))
    assert len(set(shown)) == count


@given(count=counts, seed=st.integers(), steps=actions)
def test_once_tries_go_well_every_objection_comes_up_again_soon(count, seed, steps):
    """Within a round and a half, allowing for the last early returns."""
    shown, _ = run(count, seed, [*steps, *(["next", "went well"] * (2 * count + 2))])
    assert set(shown[-(2 * count + 2) :]) == {f"o{number}" for number in range(count)}


@pytest.mark.parametrize("seed", range(5))
def test_two_objections_that_keep_needing_work_take_turns_until_they_go_well(seed):
    order = DrillOrder(IDS, Random(seed))
    first = order.next()
    order.marked(Mark.NEEDS_WORK)
    second = order.next()
    order.marked(Mark.NEEDS_WORK)
    for _ in range(3):
        assert order.next() == first
        order.marked(Mark.NEEDS_WORK)
        assert order.next() == second
        order.marked(Mark.NEEDS_WORK)
    assert order.next() == first
    order.marked(Mark.WENT_WELL)
    assert order.next() == second
    order.marked(Mark.WENT_WELL)
    assert set(presses(order, 2 * len(IDS))) == set(IDS)
