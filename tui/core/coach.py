"""Gentle checks on a statement: words that blame or label, and whether it is too long.

The checks are a plain table (RULES): to add one, add a line. They only point things out;
the person writing decides what to change.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from tui.core.rehearsal import speaking_seconds, word_count


class Kind(StrEnum):
    BLAME = "blame"
    LABEL = "label"


def phrases(*options: str) -> re.Pattern[str]:
    """Match any option as whole words, ignoring case, spacing and the style of apostrophe."""
    alternatives = [
        r"\s+".join(re.escape(word).replace("'", "['’]") for word in option.split())
        for option in options
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    kind: Kind
    suggestion: str


ONE_TIME = 'Describe one time and how it felt: "When you ..., I felt ..."'
OWN_FEELING = 'Say how you felt, without fault: "I felt ... when ..."'
HOPE_NOW = 'Say what you hope for now: "I hope you will ..."'
FEAR = 'Say what you are afraid of: "I am scared that ..."'
NOT_THE_PERSON = (
    'Name the behaviour or the illness, not the person: "your heroin use", "your addiction"'
)
WHAT_HAPPENED = 'Say what happened and how it felt: "When I found out ..., I felt ..."'

RULES: list[Rule] = [
    Rule(phrases("you always"), Kind.BLAME, ONE_TIME),
    Rule(phrases("you never"), Kind.BLAME, ONE_TIME),
    Rule(phrases("your fault"), Kind.BLAME, OWN_FEELING),
    Rule(phrases("you made me"), Kind.BLAME, OWN_FEELING),
    Rule(phrases("you should have", "you should've"), Kind.BLAME, HOPE_NOW),
    Rule(phrases("because of you"), Kind.BLAME, OWN_FEELING),
    Rule(phrases("you're ruining", "you are ruining"), Kind.BLAME, FEAR),
    Rule(phrases("you ruined", "you've ruined", "you have ruined"), Kind.BLAME, FEAR),
    Rule(phrases("junkie", "junkies", "junky"), Kind.LABEL, NOT_THE_PERSON),
    Rule(phrases("addict", "addicts"), Kind.LABEL, NOT_THE_PERSON),
    Rule(phrases("druggie", "druggies"), Kind.LABEL, NOT_THE_PERSON),
    Rule(phrases("dope fiend", "dope fiends"), Kind.LABEL, NOT_THE_PERSON),
    Rule(phrases("loser", "losers"), Kind.LABEL, NOT_THE_PERSON),
    Rule(phrases("liar", "liars"), Kind.LABEL, WHAT_HAPPENED),
    Rule(phrases("selfish"), Kind.LABEL, WHAT_HAPPENED),
]


@dataclass(frozen=True)
class Finding:
    """A stretch of the statement worth rewording; start and end index into the statement."""

    start: int
    end: int
    text: str
    kind: Kind
    suggestion: str


def find_problems(statement: str) -> list[Finding]:
    """Every rule match, sorted by start; where matches overlap, the earlier (then longer) wins."""
    matches = [
        Finding(match.start(), match.end(), match.group(), rule.kind, rule.suggestion)
        for rule in RULES
        for match in rule.pattern.finditer(statement)
    ]
    matches.sort(key=lambda finding: (finding.start, -finding.end))
    findings: list[Finding] = []
    for finding in matches:
        if not findings or finding.start >= findings[-1].end:
            findings.append(finding)
    return findings


# The three things every statement should carry, as reminders for the person writing.
REMINDERS: tuple[str, str, str] = (
    "Offer support: help is there if they want it",
    "Ask them to face it and take responsibility now",
    "Say how the addiction has affected you",
)


@dataclass(frozen=True)
class Report:
    words: int
    seconds: float  # estimated speaking time
    target_seconds: float
    over_target: bool
    findings: tuple[Finding, ...]


def review(statement: str, target_seconds: float) -> Report:
    seconds = speaking_seconds(statement)
    return Report(
        words=word_count(statement),
        seconds=seconds,
        target_seconds=target_seconds,
        over_target=seconds > target_seconds,
        findings=tuple(find_problems(statement)),
    )
