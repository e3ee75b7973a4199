"""The ways a family can reach out, as the guide compares them (section ``approaches``).

The plan's meeting part holds the family's choice; readiness and the starting tasks follow it.
"""

from collections import namedtuple

NOT_CHOSEN = "not chosen yet"
SURPRISE = "surprise meeting"
INVITATIONAL = "invitational meeting"
CRAFT_FIRST = "CRAFT first"
COMPARISON_LINK = "approaches"


class Approach(namedtuple("Approach", ("name", "description", "guide_link"))):
    """One approach: its name (the value the plan stores), one line saying what it is, and
    where the guide explains it."""

    __slots__ = ()


APPROACHES = (
    Approach(
        NOT_CHOSEN,
        "Read Approaches compared in the guide and choose together, with your specialist.",
        COMPARISON_LINK,
    ),
    Approach(
        SURPRISE,
        "The family plans in private and gathers without warning; your loved one is asked to "
        "start treatment that same day.",
        "approaches#1-surprise-meeting-johnson-style",
    ),
    Approach(
        INVITATIONAL,
        "Your loved one is invited and told who will be there; if they do not come, the family "
        "meets anyway and invites them again.",
        "approaches#2-invitational-meeting-for-example-arise",
    ),
    Approach(
        CRAFT_FIRST,
        "The family learns CRAFT with a counsellor over some weeks before any meeting: how to "
        "talk, and when to suggest treatment.",
        "approaches#3-craft-first",
    ),
)
APPROACH_NAMES = tuple(approach.name for approach in APPROACHES)
APPROACHES_BY_NAME = {approach.name: approach for approach in APPROACHES}


def holds_a_meeting(approach: str) -> bool:
    """Whether the family is preparing a meeting now (CRAFT first comes before any)."""
    return approach != CRAFT_FIRST
