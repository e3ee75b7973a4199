import ast
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tui.core.coach
from tui.core.coach import (
    ACT,
    BOTTOM_LINE_RULES,
    CUES,
    GUIDE_LINKS,
    LOVE,
    MESSAGES,
    REMINDERS,
    RULES,
    TOUCHED,
    Kind,
    Rule,
    check_bottom_line,
    find_problems,
    messages_in,
    phrases,
    review,
)
from tui.core.guide import load_guide
from tui.core.rehearsal import GENERAL_PACE, Pace


def test_module_uses_only_the_standard_library_and_our_own_core():
    tree = ast.parse(Path(tui.core.coach.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    outside_stdlib = {
        name for name in imported if name.split(".")[0] not in sys.stdlib_module_names
    }
    assert outside_stdlib <= {"tui.core.rehearsal"}


@pytest.mark.parametrize(
    ("statement", "flagged", "kind"),
    [
        ("You always let us down.", "You always", "blame"),
        ("you never came home", "you never", "blame"),
        ("It is all your fault.", "your fault", "blame"),
        ("You made me lie to Dad.", "You made me", "blame"),
        ("You should have called.", "You should have", "blame"),
        ("You should've called.", "You should've", "blame"),
        ("We moved because of you.", "because of you", "blame"),
        ("You're ruining this family.", "You're ruining", "blame"),
        ("You’re ruining this family.", "You’re ruining", "blame"),
        ("You are ruining this family.", "You are ruining", "blame"),
        ("You ruined Christmas.", "You ruined", "blame"),
        ("You've ruined Christmas.", "You've ruined", "blame"),
        ("Stop acting like a junkie.", "junkie", "label"),
        ("Hanging out with junkies.", "junkies", "label"),
        ("You are an addict.", "addict", "label"),
        ("Addict!", "Addict", "label"),
        ("That's an addict's excuse.", "addict", "label"),
        ("ADDICTS lie.", "ADDICTS", "label"),
        ("Some druggie friend.", "druggie", "label"),
        ("a dope fiend", "dope fiend", "label"),
        ("You're such a loser.", "loser", "label"),
        ("You are a liar.", "liar", "label"),
        ("That was selfish.", "selfish", "label"),
    ],
)
def test_each_rule_is_flagged(statement, flagged, kind):
    [finding] = find_problems(statement)
    assert finding.text == flagged
    assert finding.kind == kind
    assert finding.suggestion


@pytest.mark.parametrize(
    "statement",
    [
        "Your addiction scares me.",
        "You are addicted, and I want you to get help.",
        "Heroin is highly addictive.",
        "Addiction is an illness.",
        "You have been unselfish all your life.",
        "I feel that you are ready.",
        "I was scared when you did not come home.",
        "",
    ],
)
def test_kind_words_and_words_that_only_contain_a_label_are_not_flagged(statement):
    assert find_problems(statement) == []


def test_matching_ignores_case_and_extra_spacing():
    [finding] = find_problems("And YOU\n  NEVER called.")
    assert finding.text == "YOU\n  NEVER"


def test_offsets_point_at_the_words_in_the_statement():
    statement = "Mum, you never listen, and you are an addict."
    findings = find_problems(statement)
    assert [(finding.start, finding.end) for finding in findings] == [(5, 14), (38, 44)]
    assert [statement[finding.start : finding.end] for finding in findings] == [
        "you never",
        "addict",
    ]


def test_findings_come_in_the_order_they_appear():
    findings = find_problems("You're a liar and a junkie, and you always lie.")
    assert [finding.text for finding in findings] == ["liar", "junkie", "you always"]


def test_overlapping_matches_keep_the_one_that_starts_first():
    # "because of you" and "you always" share the word "you".
    findings = find_problems("We left because of you always.")
    assert [(finding.start, finding.end, finding.text) for finding in findings] == [
        (8, 22, "because of you")
    ]


def test_overlap_prefers_the_earlier_start_then_the_longer_match(monkeypatch):
    monkeypatch.setattr(
        tui.core.coach,
        "RULES",
        [
            Rule(phrases("never"), Kind.BLAME, "short"),
            Rule(phrases("you"), Kind.BLAME, "short"),
            Rule(phrases("you never"), Kind.BLAME, "long"),
        ],
    )
    assert [finding.text for finding in find_problems("But you never did.")] == ["you never"]


fragments = st.sampled_from(
    [
        "you",
        "always",
        "never",
        "because of",
        "your fault",
        "made me",
        "addict",
        "addiction",
        "'s",
        "liar",
        "dope",
        "fiend",
        "I love you",
        "—",
        "!",
        ",",
    ]
)


@given(st.lists(fragments, max_size=20), st.sampled_from([" ", "", "\n"]))
def test_findings_are_sorted_do_not_overlap_and_match_the_text(parts, separator):
    statement = separator.join(parts)
    findings = find_problems(statement)
    for finding in findings:
        assert statement[finding.start : finding.end] == finding.text
    for earlier, later in pairwise(findings):
        assert earlier.end <= later.start


def test_every_rule_has_a_short_plain_suggestion():
    for rule in RULES:
        assert rule.kind in {"blame", "label", "threat"}
        assert 0 < len(rule.suggestion) < 90
        assert "[" not in rule.suggestion and "*" not in rule.suggestion


def test_label_suggestion_names_the_illness_not_the_person():
    [finding] = find_problems("You are a junkie.")
    assert "not the person" in finding.suggestion
    assert '"your addiction"' in finding.suggestion


def test_blame_suggestion_offers_an_i_statement():
    [finding] = find_problems("You always lie.")
    assert '"When you ..., I felt ..."' in finding.suggestion


def test_three_short_reminders():
    assert len(REMINDERS) == 3
    assert all(0 < len(reminder) < 60 for reminder in REMINDERS)


def test_review_counts_words_and_time():
    report = review("I love you. " * 40, target_seconds=90)
    assert report.words == 120
    assert report.seconds == pytest.approx(120 * 60 / 130)
    assert report.target_seconds == 90
    assert report.over_target is False
    assert report.findings == ()


def test_review_is_over_target_only_past_the_target():
    statement = "word " * 130  # exactly one minute
    assert review(statement, target_seconds=60).over_target is False
    assert review(statement, target_seconds=59).over_target is True


def test_review_includes_the_findings():
    report = review("You never listen. I was scared.", target_seconds=60)
    assert report.words == 6
    assert [finding.text for finding in report.findings] == ["You never"]


# Bottom lines that take away safety: each rule, a sentence it must catch and a close one it
# must leave alone.
BOTTOM_LINE_CASES = [
    (
        0,
        "If you refuse, I will take away your naloxone.",
        "take away your naloxone",
        "I will always keep naloxone in the house.",
    ),
    (
        0,
        "We will throw out the Narcan.",
        "throw out the Narcan",
        "We will throw out the needles we find.",
    ),
    (0, "I will hide the naloxone.", "hide the naloxone", "I will hide my car keys."),
    (
        1,
        "I will stop buying naloxone for you.",
        "stop buying naloxone",
        "I will stop buying cigarettes for you.",
    ),
    (
        1,
        "There will be no more naloxone in this house.",
        "no more naloxone",
        "There will be no more money from me.",
    ),
    (
        2,
        "If you refuse, we will kick you out.",
        "kick you out",
        "You will need to move out, and we have found you a room at a shelter.",
    ),
    (2, "We will change the locks.", "change the locks", "We will change the subject."),
    (3, "You will be on the street.", "on the street", "We live on the same street."),
    (
        3,
        "You will have nowhere to go.",
        "nowhere to go",
        "You can go to Aunt May's, where you will be safe.",
    ),
    (4, "I will cut off all contact.", "cut off all contact", "I will cut off your phone."),
    (
        4,
        "I will never see you again.",
        "never see you again",
        "I will not see you while you are using.",
    ),
    (4, "You will be dead to me.", "dead to me", "I will not give you money again."),
]


@pytest.mark.parametrize(("rule", "sentence", "flagged", "close"), BOTTOM_LINE_CASES)
def test_each_bottom_line_rule_catches_its_sentence_and_leaves_a_close_one(
    rule, sentence, flagged, close
):
    assert BOTTOM_LINE_RULES[rule].pattern.search(sentence).group() == flagged
    [finding] = check_bottom_line(sentence)
    assert (finding.text, finding.kind) == (flagged, "unsafe")
    assert finding.guide_link == "if-refused#keeping-your-loved-one-safe"
    assert check_bottom_line(close) == []


def test_every_bottom_line_rule_has_a_case():
    assert {rule for rule, *_ in BOTTOM_LINE_CASES} == set(range(len(BOTTOM_LINE_RULES)))


def test_every_bottom_line_rule_says_what_to_do_instead_and_where_to_read_more():
    for rule in BOTTOM_LINE_RULES:
        assert rule.kind == "unsafe"
        assert 0 < len(rule.suggestion) < 90
        assert rule.guide_link == "if-refused#keeping-your-loved-one-safe"


def test_a_statement_is_not_checked_as_a_bottom_line_nor_the_other_way_round():
    assert find_problems("I will hide the naloxone.") == []
    assert check_bottom_line("You always lie, you addict.") == []


def test_a_bottom_line_may_be_flagged_in_several_places():
    findings = check_bottom_line("We will kick you out and cut off all contact.")
    assert [finding.text for finding in findings] == ["kick you out", "cut off all contact"]


def test_review_estimates_the_time_at_the_speakers_own_pace():
    statement = "word " * 130
    assert review(statement, target_seconds=60).pace == GENERAL_PACE
    slow = review(statement, target_seconds=60, pace=Pace(120, tries=3))
    assert slow.seconds == 65
    assert slow.over_target is True
    assert slow.pace.label == "at your pace (120 words a minute, from 3 tries)"


# Threats and ultimatums: each rule, a sentence it must catch and a close one it must not.

THREATS = [
    ("Get help, or else.", "or else", "Get help, or elsewhere will be too late."),
    ("Don't bother coming home.", "Don't bother coming home", "You didn't bother coming home."),
    (
        "Do not come back home if you say no.",
        "Do not come back home",
        "I cried when you did not come back home.",
    ),
    (
        "You'll never see the kids again.",
        "You'll never see the kids again",
        "You will never see me give up on you.",
    ),
    (
        "You will never see Dad's house again.",
        "You will never see Dad's house again",
        "You will never see yourself the way we see you.",
    ),
    ("We will kick you out.", "kick you out", "We will kick off the day with breakfast."),
    ("Dad will cut you off.", "cut you off", "The phone cut off when you called."),
    ("You are dead to me.", "dead to me", "I was dead tired."),
    ("Then you're on your own.", "you're on your own", "You are not on your own."),
    ("This is your last chance.", "This is your last chance", "This is our best chance."),
]


@pytest.mark.parametrize(("statement", "flagged", "near_miss"), THREATS)
def test_a_threat_is_flagged_as_belonging_in_the_bottom_line(statement, flagged, near_miss):
    [finding] = find_problems(statement)
    assert (finding.text, finding.kind) == (flagged, Kind.THREAT)
    assert finding.suggestion == (
        "A threat or ultimatum belongs in your bottom line, not your statement"
    )
    assert finding.guide_link == "during#bottom-lines-only-if-needed"
    assert find_problems(near_miss) == []


def test_every_threat_rule_has_a_sentence_it_must_catch():
    threat_rules = [rule for rule in RULES if rule.kind is Kind.THREAT]
    caught = [
        rule
        for rule in threat_rules
        if any(rule.pattern.search(statement) for statement, _, _ in THREATS)
    ]
    assert caught == threat_rules


def test_blame_and_labels_link_to_writing_the_statement():
    [blame, label] = find_problems("You always lie, junkie.")
    assert blame.guide_link == label.guide_link == "three-messages#writing-your-statement"


# The three messages: each cue, a sentence it must find and a close one it must not.

MESSAGE_CUES = [
    ("I love you.", "I love your old car.", LOVE),
    ("We still love you, whatever happens.", "We still love your mother's cooking.", LOVE),
    ("We care so much about you.", "I don't care about your excuses.", LOVE),
    ("We are here for you.", "We came here for your birthday.", LOVE),
    ("I will stand by you.", "I stood by the door.", LOVE),
    ("I'll be by your side.", "I'll be by the car.", LOVE),
    ("We will support you.", "I won't support your habit any more.", LOVE),
    ("I am proud of you.", "Be proud of yourself.", LOVE),
    ("You mean the world to me.", "It means nothing to the bank.", LOVE),
    ("Please accept the help.", "I accept that this is hard.", ACT),
    ("Will you come with us?", "Will you come with them?", ACT),
    ("Treatment is arranged.", "You mistreated nobody.", ACT),
    ("It is time to get well.", "At the time it felt fine.", ACT),
    ("We can no longer pretend.", "We used to pretend to be pirates.", ACT),
    ("I won't keep ignoring it.", "I won't keep the receipts.", ACT),
    ("A bed is waiting.", "Your room is a mess.", ACT),
    ("I was so scared.", "You were so scared.", TOUCHED),
    ("I'm worried every day.", "Are you worried?", TOUCHED),
    ("I lay awake at night.", "I lay on the sofa.", TOUCHED),
    ("I sat up all night.", "I sat up straight.", TOUCHED),
    ("I cried in the car.", "She cried in the car.", TOUCHED),
    ("My heart breaks.", "You learned it by heart.", TOUCHED),
    ("It scares me.", "You scared yourself.", TOUCHED),
]


@pytest.mark.parametrize(("statement", "near_miss", "message"), MESSAGE_CUES)
def test_each_cue_finds_its_message_and_leaves_a_close_sentence_alone(
    statement, near_miss, message
):
    assert messages_in(statement) == (message,)
    assert messages_in(near_miss) == ()


def test_every_cue_has_a_sentence_it_must_find():
    found = [
        cue
        for cue in CUES
        if any(cue.pattern.search(statement) for statement, _, _ in MESSAGE_CUES)
    ]
    assert found == CUES


def test_review_says_which_messages_a_statement_carries_and_which_are_missing():
    report = review("Mum, I love you. I was scared when you did not come home.", 120)
    assert report.messages == (LOVE, TOUCHED)
    assert report.missing == (ACT,)
    full = review("I love you. I lie awake at night. A bed is waiting; please come with us.", 120)
    assert (full.messages, full.missing) == (MESSAGES, ())
    assert review("", 120).missing == MESSAGES


def test_the_messages_are_those_of_the_guide_and_link_to_their_headings():
    section = load_guide()["three-messages"]
    slugs = [heading.slug for heading in section.headings]
    assert [message.guide_link.partition("#") for message in MESSAGES] == [
        ("three-messages", "#", slug) for slug in slugs if slug[0] in "123"
    ]
    assert [message.name for message in MESSAGES] == [
        "love and support",
        "it is time to act, and help is ready",
        "how the drug use has touched you",
    ]
    assert REMINDERS == tuple(message.reminder for message in MESSAGES)


def test_a_pattern_may_offer_choices_and_leave_words_out():
    pattern = phrases("i (am|was) (so )?scared")
    assert [
        bool(pattern.search(text))
        for text in ["I am scared", "I was so   scared", "i WAS scared", "I am so very scared"]
    ] == [True, True, True, False]


@pytest.mark.parametrize(
    "link", sorted({*GUIDE_LINKS.values(), *(message.guide_link for message in MESSAGES)})
)
def test_every_link_of_the_coach_opens_a_heading_of_the_guide(link):
    section_id, _, slug = link.partition("#")
    assert slug in [heading.slug for heading in load_guide()[section_id].headings]
