"""The objection drill: which objection to practise answering next.

Pure logic with no user interface. The random source is passed in, so tests can seed it.
"""

from collections.abc import Iterable, Sequence
from random import Random

from tui.core.plan import Plan
from tui.core.rehearsal import Mark

# An objection whose try needs work comes up again after this many others.
COMES_BACK_AFTER = 1


class DrillOrder:
    """The order objections come up in, one at a time, as `n` is pressed.

    They come up in rounds, each a new shuffle of all of them, so none comes up twice before
    every other has come up once; a round never starts with the objection that ended the
    last one. The exception: an objection whose try is marked "needs work" comes back
    sooner, two places ahead (after one other objection it is that one again), and that
    counts as its turn in the round if it had not had one yet. So objections that keep
    needing work keep coming back, ahead of the rest, until their tries go well; marking
    a later try "went well" before it comes back takes its early return back. At the
    start, objections whose last try needed work come first.
    """

    def __init__(
        self, objection_ids: Sequence[str], random: Random, needs_work: Iterable[str] = ()
    ) -> None:
        self._ids = list(dict.fromkeys(objection_ids))
        self._random = random
        self.current: str | None = None
        # Objections coming back sooner: how many others come up before each does.
        self._coming_back: dict[str, int] = {}
        first = set(needs_work)
        self._round = self._shuffled([one for one in self._ids if one in first])
        self._round += self._shuffled([one for one in self._ids if one not in first])

    def next(self) -> str | None:
        """Move on to the next objection and return its id (None if there are none)."""
        due = [one for one, others in self._coming_back.items() if others == 0]
        if due:
            chosen: str | None = due[0]
            self._round = [one for one in self._round if one != chosen]
        else:
            if not self._round:
                self._round = self._new_round()
            chosen = self._round.pop(0) if self._round else None
        self._coming_back = {
            one: others - 1 for one, others in self._coming_back.items() if one != chosen
        }
        self.current = chosen
        return chosen

    def marked(self, mark: Mark) -> None:
        """The latest try at the current objection was marked."""
        if self.current is None:
            return
        if mark is Mark.NEEDS_WORK and len(self._ids) > 1:
            self._coming_back[self.current] = COMES_BACK_AFTER
        else:
            self._coming_back.pop(self.current, None)

    def objections_changed(self, objection_ids: Sequence[str]) -> None:
        """The plan's objections now: deleted ones stop coming up (the current one too),
        and new ones come up in this round, at random places among those still to come."""
        ids = list(dict.fromkeys(objection_ids))
        added = [one for one in ids if one not in self._ids]
        self._ids = ids
        self._round = [one for one in self._round if one in ids]
        for one in added:
            self._round.insert(self._random.randint(0, len(self._round)), one)
        self._coming_back = {one: n for one, n in self._coming_back.items() if one in ids}
        if self.current not in ids:
            self.current = None

    def _new_round(self) -> list[str]:
        round_ = self._shuffled(self._ids)
        if len(round_) > 1 and round_[0] == self.current:
            round_.append(round_.pop(0))
        return round_

    def _shuffled(self, ids: list[str]) -> list[str]:
        ids = list(ids)
        self._random.shuffle(ids)
        return ids


def drill_order(plan: Plan, random: Random) -> DrillOrder:
    """A drill over the plan's objections; those whose last try needed work come first."""
    ids = [objection["id"] for objection in plan.lists["objections"]]
    needs_work = []
    for objection_id in ids:
        last = plan.last_try(objection_id)
        if last is not None and last.mark is Mark.NEEDS_WORK:
            needs_work.append(objection_id)
    return DrillOrder(ids, random, needs_work)
