"""Gentle checks on a statement: words that blame or label, and whether it is too long;
and on a bottom line: whether it takes away what keeps the loved one alive.

The checks are plain tables (RULES, BOTTOM_LINE_RULES): to add one, add a line. They only
point things out; the person writing decides what to change.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from tui.core.rehearsal import speaking_seconds, word_count


class Kind(StrEnum):
    BLAME = "blame"
    LABEL = "label"
    UNSAFE = "unsafe"  # a bottom line that takes away safety


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
    guide_link: str = ""  # "section-id#heading-slug" of the guide's part that explains


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


# A bottom line says what each person will stop doing if treatment is refused. It must not
# take away what keeps the loved one alive: naloxone, a safe place to sleep, a way back.
HARM_REDUCTION_LINK = "if-refused#keeping-your-loved-one-safe"
KEEP_NALOXONE = "Keep naloxone within their reach: stop paying for things instead"
SAFE_PLACE = "If they must leave, say where they can go that is safe: treatment, a shelter"
WAY_BACK = "Keep a way back: say how they can reach you when they want help"
_TAKE_AWAY = (
    r"(?:take|taking|took|throw|throwing|threw|get\s+rid\s+of|getting\s+rid\s+of|remove|"
    r"removing|confiscate|confiscating|lock\s+up|locking\s+up|hide|hiding)"
)
_NALOXONE = r"(?:naloxone|narcan|nyxoid|prenoxad)"

BOTTOM_LINE_RULES: list[Rule] = [
    Rule(re.compile(rf"\b{_TAKE_AWAY}\b(?:\s+\w+){{0,3}}?\s+{_NALOXONE}\b", re.IGNORECASE),
         Kind.UNSAFE, KEEP_NALOXONE, HARM_REDUCTION_LINK),
    Rule(re.compile(rf"\b(?:no\s+more|not\s+keep|won['’]t\s+keep|stop\s+(?:buying|keeping))"
                    rf"(?:\s+\w+){{0,2}}?\s+{_NALOXONE}\b", re.IGNORECASE),
         Kind.UNSAFE, KEEP_NALOXONE, HARM_REDUCTION_LINK),
    Rule(phrases("kick you out", "kicking you out", "throw you out", "throwing you out",
                 "put you out on the street", "change the locks", "evict you", "evicting you"),
         Kind.UNSAFE, SAFE_PLACE, HARM_REDUCTION_LINK),
    Rule(phrases("on the street", "on the streets", "nowhere to go", "nowhere to live",
                 "nowhere to sleep", "homeless"),
         Kind.UNSAFE, SAFE_PLACE, HARM_REDUCTION_LINK),
    Rule(phrases("cut off all contact", "cut all contact", "cutting off all contact",
                 "cutting all contact", "no contact", "no more contact", "never speak to you again",
                 "never talk to you again", "never see you again", "not speak to you again",
                 "not see you again", "won't speak to you again", "won't see you again",
                 "disown you", "dead to me", "out of my life", "out of our lives"),
         Kind.UNSAFE, WAY_BACK, HARM_REDUCTION_LINK),
]


@dataclass(frozen=True)
class Finding:
    """A stretch of the statement worth rewording; start and end index into the statement."""

    start: int
    end: int
    text: str
    kind: Kind
    suggestion: str
    guide_link: str = ""


def find_problems(statement: str, rules: list[Rule] | None = None) -> list[Finding]:
    """Every match of the rules (the statement rules unless given), sorted by start; where
    matches overlap, the earlier (then longer) wins."""
    matches = [
        Finding(match.start(), match.end(), match.group(), rule.kind, rule.suggestion,
                rule.guide_link)
        for rule in (RULES if rules is None else rules)
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


def check_bottom_line(bottom_line: str) -> list[Finding]:
    """Where a bottom line would take away the loved one's safety."""
    return find_problems(bottom_line, BOTTOM_LINE_RULES)
