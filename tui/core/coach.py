"""Gentle checks on a statement: words that blame, label or threaten, which of the guide's
three messages it carries, and whether it is too long; and on a bottom line: whether it takes
away what keeps the loved one alive.

The checks are plain tables (RULES for words to reconsider, CUES for the three messages,
BOTTOM_LINE_RULES for bottom lines): to add one, add a line. They only point things out;
the person writing decides what to change.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from tui.core.rehearsal import GENERAL_PACE, Pace, speaking_seconds, word_count


class Kind(StrEnum):
    BLAME = "blame"
    LABEL = "label"
    UNSAFE = "unsafe"  # a bottom line that takes away safety
    THREAT = "threat"


# Where the guide explains why each kind of wording hurts, and what to say instead.
GUIDE_LINKS = {
    Kind.BLAME: "three-messages#writing-your-statement",
    Kind.LABEL: "three-messages#writing-your-statement",
    Kind.THREAT: "during#bottom-lines-only-if-needed",
}


def phrases(*options: str) -> re.Pattern[str]:
    """Match any option as whole words, ignoring case, spacing and the style of apostrophe.

    An option is words, and may use "(a|b)" for a choice and "(a )?" for a part that may be
    left out: "i (am|was) (so )?scared".
    """
    alternatives = [r"\s+".join(option.split()).replace("'", "['’]") for option in options]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    kind: Kind
    suggestion: str
    guide_link: str = ""  # "section-id#heading-slug" of the guide's part, if not its kind's


ONE_TIME = 'Describe one time and how it felt: "When you ..., I felt ..."'
OWN_FEELING = 'Say how you felt, without fault: "I felt ... when ..."'
HOPE_NOW = 'Say what you hope for now: "I hope you will ..."'
FEAR = 'Say what you are afraid of: "I am scared that ..."'
NOT_THE_PERSON = (
    'Name the behaviour or the illness, not the person: "your heroin use", "your addiction"'
)
WHAT_HAPPENED = 'Say what happened and how it felt: "When I found out ..., I felt ..."'
BOTTOM_LINE = "A threat or ultimatum belongs in your bottom line, not your statement"

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
    Rule(phrases("or else"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases("(don't|do not) (bother )?(coming|come) (back )?home"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases(r"(you'll|you will) never see (\S+ ){1,3}again"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases("(kick|throw|put) you out"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases("cut you off", "disown you", "dead to me"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases("(you're|you are) on your own"), Kind.THREAT, BOTTOM_LINE),
    Rule(phrases("(this is|it's|it is) your last chance"), Kind.THREAT, BOTTOM_LINE),
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
    Rule(
        re.compile(rf"\b{_TAKE_AWAY}\b(?:\s+\w+){{0,3}}?\s+{_NALOXONE}\b", re.IGNORECASE),
        Kind.UNSAFE,
        KEEP_NALOXONE,
        HARM_REDUCTION_LINK,
    ),
    Rule(
        re.compile(
            rf"\b(?:no\s+more|not\s+keep|won['’]t\s+keep|stop\s+(?:buying|keeping))"
            rf"(?:\s+\w+){{0,2}}?\s+{_NALOXONE}\b",
            re.IGNORECASE,
        ),
        Kind.UNSAFE,
        KEEP_NALOXONE,
        HARM_REDUCTION_LINK,
    ),
    Rule(
        phrases(
            "kick you out",
            "kicking you out",
            "throw you out",
            "throwing you out",
            "put you out on the street",
            "change the locks",
            "evict you",
            "evicting you",
        ),
        Kind.UNSAFE,
        SAFE_PLACE,
        HARM_REDUCTION_LINK,
    ),
    Rule(
        phrases(
            "on the street",
            "on the streets",
            "nowhere to go",
            "nowhere to live",
            "nowhere to sleep",
            "homeless",
        ),
        Kind.UNSAFE,
        SAFE_PLACE,
        HARM_REDUCTION_LINK,
    ),
    Rule(
        phrases(
            "cut off all contact",
            "cut all contact",
            "cutting off all contact",
            "cutting all contact",
            "no contact",
            "no more contact",
            "never speak to you again",
            "never talk to you again",
            "never see you again",
            "not speak to you again",
            "not see you again",
            "won't speak to you again",
            "won't see you again",
            "disown you",
            "dead to me",
            "out of my life",
            "out of our lives",
        ),
        Kind.UNSAFE,
        WAY_BACK,
        HARM_REDUCTION_LINK,
    ),
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
        Finding(
            match.start(),
            match.end(),
            match.group(),
            rule.kind,
            rule.suggestion,
            rule.guide_link or GUIDE_LINKS[rule.kind],
        )
        for rule in (RULES if rules is None else rules)
        for match in rule.pattern.finditer(statement)
    ]
    matches.sort(key=lambda finding: (finding.start, -finding.end))
    findings: list[Finding] = []
    for finding in matches:
        if not findings or finding.start >= findings[-1].end:
            findings.append(finding)
    return findings


@dataclass(frozen=True)
class Message:
    """One of the three messages the guide asks the group to get across, between them."""

    name: str
    reminder: str  # what to say, for the person writing
    guide_link: str


LOVE = Message(
    "love and support",
    "Offer support: help is there if they want it",
    "three-messages#1-we-love-you-and-help-is-ready",
)
ACT = Message(
    "it is time to act, and help is ready",
    "Ask them to face it and take responsibility now",
    "three-messages#2-we-can-no-longer-act-as-if-nothing-is-wrong",
)
TOUCHED = Message(
    "how the drug use has touched you",
    "Say how the addiction has affected you",
    "three-messages#3-this-is-what-it-has-meant-for-me",
)
MESSAGES = (LOVE, ACT, TOUCHED)
REMINDERS = tuple(message.reminder for message in MESSAGES)


@dataclass(frozen=True)
class Cue:
    """Words that show a statement carries a message."""

    pattern: re.Pattern[str]
    message: Message


FEELINGS = "(scared|afraid|frightened|terrified|worried|anxious|heartbroken|hurt|lonely|helpless)"

CUES: list[Cue] = [
    Cue(phrases("(i|we) (really |still |all |both )?love you"), LOVE),
    Cue(phrases("care (so much |deeply )?about you"), LOVE),
    Cue(phrases("(here|there) for you"), LOVE),
    Cue(phrases("(stand|be) (by|with) you", "by your side"), LOVE),
    Cue(phrases("support you"), LOVE),
    Cue(phrases("proud of you"), LOVE),
    Cue(phrases("mean(s)? (so much|the world|everything) to (me|us)"), LOVE),
    Cue(phrases("accept (the |our |this )?(help|treatment|offer)"), ACT),
    Cue(phrases("(come|go) with (us|me)"), ACT),
    Cue(phrases("treatment", "rehab", "detox"), ACT),
    Cue(phrases("(it's|it is) time"), ACT),
    Cue(
        phrases(
            "(can't|cannot|can no longer|won't|will not) (go on |keep )?"
            "(pretend|pretending|ignore|ignoring)"
        ),
        ACT,
    ),
    Cue(phrases("(bed|place|room) (is |has been )?(ready|waiting|held|booked)"), ACT),
    Cue(
        phrases(
            f"(i'm|i am|i was|i've been|i have been|i feel|i felt|i get|i got) "
            f"(so |very |really |always |constantly )?{FEELINGS}"
        ),
        TOUCHED,
    ),
    Cue(phrases("(lie|lay|sit|sat|stay|stayed) (up|awake) (all |at )?night"), TOUCHED),
    Cue(phrases("i (cry|cried|can't sleep|cannot sleep|couldn't sleep|could not sleep)"), TOUCHED),
    Cue(phrases("(my|our) heart"), TOUCHED),
    Cue(phrases("(hurt|hurts|scared|scares|frightened|frightens|changed) (me|us)"), TOUCHED),
]


def messages_in(statement: str) -> tuple[Message, ...]:
    """The three messages that the statement carries, in the guide's order."""
    carried = {cue.message for cue in CUES if cue.pattern.search(statement)}
    return tuple(message for message in MESSAGES if message in carried)


@dataclass(frozen=True)
class Report:
    words: int
    seconds: float  # estimated speaking time, at `pace`
    pace: Pace
    target_seconds: float
    over_target: bool
    findings: tuple[Finding, ...]
    messages: tuple[Message, ...]  # the three messages it carries
    missing: tuple[Message, ...]  # and those it does not


def review(statement: str, target_seconds: float, pace: Pace = GENERAL_PACE) -> Report:
    """What the coach says about a statement; its time is estimated at the speaker's pace
    (Plan.pace_of), or at 130 words a minute."""
    seconds = speaking_seconds(statement, pace)
    messages = messages_in(statement)
    return Report(
        words=word_count(statement),
        seconds=seconds,
        pace=pace,
        target_seconds=target_seconds,
        over_target=seconds > target_seconds,
        findings=tuple(find_problems(statement)),
        messages=messages,
        missing=tuple(message for message in MESSAGES if message not in messages),
    )


def check_bottom_line(bottom_line: str) -> list[Finding]:
    """Where a bottom line would take away the loved one's safety."""
    return find_problems(bottom_line, BOTTOM_LINE_RULES)
