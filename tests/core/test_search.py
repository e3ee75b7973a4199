"""Search as a stressed family types it: any ending of a word, their own words for the guide's
terms, titles and headings first, and the closest sections when nothing is found."""

import shutil
from pathlib import Path

import pytest

from tui.core.guide import ContentError, Section, default_content_dir, load_guide, section_hit
from tui.core.search import stem


@pytest.fixture(scope="module")
def shipped():
    return load_guide()


def write_guide(directory: Path, sections: dict[str, str], words: str | None = None) -> Path:
    """A guide of sections {title: body}, in that order, with a list of search words."""
    directory.mkdir(parents=True)
    for order, (title, body) in enumerate(sections.items(), start=1):
        (directory / f"{order:02d}.md").write_text(
            f"---\nid: s{order}\ntitle: {title}\norder: {order}\n---\n\n{body}",
            encoding="utf-8",
        )
    if words is not None:
        (directory / "search-words.txt").write_text(words, encoding="utf-8")
    return directory


def matched(hit) -> str:
    """The words a hit marks, as the results list shows them."""
    return hit.snippet[hit.snippet_start : hit.snippet_end]


def where(hits) -> list[tuple[str, str]]:
    return [(hit.section.id, matched(hit)) for hit in hits]


# Any ending of a word


@pytest.mark.parametrize(
    "forms",
    [
        ["refuse", "refused", "refuses", "refusing", "refusal", "Refusals"],
        ["use", "used", "uses", "using"],
        ["family", "families", "family's", "family’s"],
        ["stop", "stops", "stopped", "stopping"],
        ["plan", "plans", "planned", "planning"],
        ["hope", "hoped", "hopes", "hoping"],
        ["give", "gives", "giving"],
        ["dose", "doses", "dosing"],
        ["overdose", "overdoses", "overdosed", "overdosing"],
        ["agree", "agreed", "agrees", "agreeing"],
        ["die", "died", "dies", "dying"],
        ["try", "tried", "tries", "trying"],
        ["withdraw", "withdrawal", "withdrawals", "withdrawing"],
        ["rehearse", "rehearsed", "rehearsal", "rehearsing"],
        ["refer", "referred", "referral", "referring"],
        ["breathe", "breathing", "breath"],
        ["call", "calls", "called", "calling"],
        ["miss", "missed", "misses", "missing"],
    ],
)
def test_every_form_of_a_word_has_the_same_stem(forms):
    assert {stem(form) for form in forms} == {stem(forms[0])}


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("refuse", "refuge"),
        ("use", "useful"),
        ("use", "user"),
        ("care", "career"),
        ("dose", "dosage"),
        ("need", "ne"),
        ("add", "ad"),
        ("one", "on"),
        ("here", "her"),
        ("treatment", "treat"),
    ],
)
def test_close_words_keep_different_stems(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize("word", ["red", "bed", "thing", "bring", "this", "bus", "crisis", "911"])
def test_words_that_only_look_like_an_ending_stay_whole(word):
    assert stem(word) == word


def test_refuse_finds_refused_refusal_and_the_section_if_treatment_is_refused(shipped):
    hits = shipped.search("refuse")
    first = hits[0]
    assert (first.section.id, first.in_title, matched(first)) == ("if-refused", True, "refused")
    assert first.section.title == "If treatment is refused"
    assert {matched(hit).lower() for hit in hits} == {"refuse", "refused", "refusal"}


def test_a_close_word_is_not_matched(tmp_path):
    guide = load_guide(
        write_guide(
            tmp_path / "guide",
            {
                "A": "A refuge for the night. Users of the service. Useful numbers.",
            },
        )
    )
    assert guide.search("refuse") == []
    assert guide.search("use") == []
    assert where(guide.search("refuges")) == [("s1", "refuge")]


def test_the_marked_words_are_the_ones_in_the_text(tmp_path):
    guide = load_guide(
        write_guide(
            tmp_path / "guide",
            {
                "A": "If your loved one refused, the offer stays open.",
            },
        )
    )
    [hit] = guide.search("refuse")
    block = hit.section.blocks[hit.block_index]
    assert block.text[hit.start : hit.end] == "refused"
    assert matched(hit) == "refused"


def test_each_word_of_a_phrase_may_have_any_ending(tmp_path):
    guide = load_guide(
        write_guide(
            tmp_path / "guide",
            {
                "A": "Give a second dose. Two seconds later, more doses.",
            },
        )
    )
    assert where(guide.search("seconds dosing")) == [("s1", "second dose")]
    assert where(guide.search("doses seconds")) == []  # in this order, side by side


# Titles and headings first


def test_titles_then_headings_then_text_then_sources(tmp_path):
    guide = load_guide(
        write_guide(
            tmp_path / "guide",
            {
                "Carrying it": "Keep naloxone at home.\n\n## Sources\n\n- A naloxone leaflet\n",
                "Safety": "Call for help.\n\n## Naloxone\n\nIt works.\n",
                "Naloxone": "About it.\n",
            },
        )
    )
    hits = guide.search("naloxone")
    assert [(hit.section.title, hit.context, hit.in_title) for hit in hits] == [
        ("Naloxone", "Naloxone", True),
        ("Safety", "Safety", False),
        ("Carrying it", "Carrying it", False),
        ("Carrying it", "Carrying it › Sources", False),
    ]
    blocks = [hit.section.blocks[hit.block_index] for hit in hits[1:]]
    assert [block.kind for block in blocks] == ["heading", "paragraph", "item"]


def test_a_title_hit_opens_its_section_at_the_top_with_nothing_marked(shipped):
    hit = shipped.search("refused")[0]
    assert hit.in_title
    assert (hit.block_index, hit.start, hit.end) == (0, 0, 0)
    assert hit.snippet == hit.section.title


def test_in_the_shipped_guide_headings_come_before_the_text(shipped):
    hits = shipped.search("naloxone")
    kinds = [hit.section.blocks[hit.block_index].kind for hit in hits]
    headings = kinds.count("heading")
    assert headings >= 3
    assert kinds[:headings] == ["heading"] * headings
    assert matched(hits[0]) == "naloxone"
    assert hits[0].snippet == "How to give nasal naloxone"


# The words families type


@pytest.mark.parametrize(
    ("query", "section", "found"),
    [
        ("rehab", "treatment-options", "Residential"),
        ("Rehab", "treatment-options", "Kinds of programme"),
        ("detox", "treatment-options", "withdrawal management"),
        ("Narcan", "staying-safe", "naloxone"),
        ("job", "preparation-steps", "miss work"),
        ("suboxone", "treatment-options", "Buprenorphine"),
        ("methadone clinic", "treatment-options", "opioid treatment programmes"),
        ("OD", "staying-safe", "overdose"),
        ("won't go", "if-refused", "refused"),
    ],
)
def test_a_family_word_finds_the_guide_term(shipped, query, section, found):
    assert (section, found) in where(shipped.search(query))


def test_job_finds_the_objection_about_work_first(shipped):
    hits = shipped.search("job")
    assert matched(hits[0]) == "miss work"
    assert "I can't miss work" in hits[0].snippet
    assert all("work" in matched(hit) for hit in hits)


def test_a_family_word_the_guide_also_uses_finds_both(shipped):
    found = {matched(hit).lower() for hit in shipped.search("detox")}
    assert {"detox", "withdrawal management", "detoxification"} <= found


def test_every_guide_word_in_the_shipped_list_is_in_the_guide(shipped):
    assert len(shipped.search_words) > 30
    terms = {term for terms in shipped.search_words.values() for term in terms}
    missing = [term for term in sorted(terms) if not shipped.search(term)]
    assert missing == []


def test_a_guide_without_the_list_searches_its_own_words(tmp_path):
    guide = load_guide(write_guide(tmp_path / "guide", {"A": "Carry naloxone. Go to rehab."}))
    assert guide.search_words == {}
    assert guide.search("narcan") == []
    assert where(guide.search("rehab")) == [("s1", "rehab")]


def test_a_copy_of_the_shipped_guide_keeps_its_list(tmp_path):
    shutil.copytree(default_content_dir(), tmp_path / "content")
    assert where(load_guide(tmp_path / "content").search("narcan"))[0] == (
        "staying-safe",
        "naloxone",
    )


WORDS = """\
# Notes and blank lines are skipped.

rehab, rehab center :  residential,  inpatient care
Rehab: the clinic
detox: withdrawal, withdrawal management
"""


def test_the_list_maps_each_family_word_to_the_guide_words(tmp_path):
    guide = load_guide(
        write_guide(
            tmp_path / "guide",
            {
                "A": "A residential stay. Inpatient care. The clinic. Withdrawal management first.",
            },
            WORDS,
        )
    )
    assert guide.search_words == {
        "rehab": ("residential", "inpatient care", "the clinic"),
        "rehab center": ("residential", "inpatient care"),
        "detox": ("withdrawal", "withdrawal management"),
    }
    assert [matched(hit) for hit in guide.search("rehab")] == [
        "residential",
        "Inpatient care",
        "The clinic",
    ]
    assert [matched(hit) for hit in guide.search("REHAB CENTERS")] == [
        "residential",
        "Inpatient care",
    ]
    # The longer of two guide words found in one place is the one marked.
    assert [matched(hit) for hit in guide.search("detox")] == ["Withdrawal management"]


@pytest.mark.parametrize(
    ("line", "phrases"),
    [
        ("rehab residential", ["line 3", "expected", "colon", "'rehab residential'"]),
        ("rehab: residential: inpatient", ["line 3", "'rehab: residential: inpatient'"]),
        (": residential", ["line 3", "missing before the colon"]),
        ("rehab:", ["line 3", "missing after the colon"]),
        ("rehab: residential,, inpatient", ["line 3", "missing after the colon"]),
        ("rehab, ?!: residential", ["line 3", "'?!'", "before the colon", "no letter"]),
    ],
)
def test_a_bad_line_in_the_list_is_named_in_plain_words(tmp_path, line, phrases):
    directory = write_guide(tmp_path / "guide", {"A": "Text."}, f"# words\n\n{line}\n")
    with pytest.raises(ContentError) as caught:
        load_guide(directory)
    message = str(caught.value)
    assert str(directory / "search-words.txt") in message
    for phrase in phrases:
        assert phrase in message


def test_a_list_that_is_not_utf8_is_named(tmp_path):
    directory = write_guide(tmp_path / "guide", {"A": "Text."})
    (directory / "search-words.txt").write_bytes("caf\xe9: coffee\n".encode("latin-1"))
    with pytest.raises(ContentError, match="search-words.txt: is not UTF-8 text"):
        load_guide(directory)


def test_a_list_that_cannot_be_read_is_named(tmp_path):
    directory = write_guide(tmp_path / "guide", {"A": "Text."})
    (directory / "search-words.txt").mkdir()
    with pytest.raises(ContentError, match="search-words.txt: cannot be read"):
        load_guide(directory)


# When nothing is found


def titles(sections: list[Section]) -> list[str]:
    return [section.title for section in sections]


@pytest.mark.parametrize(
    ("query", "closest"),
    [
        ("what if he refuses", ["If treatment is refused"]),
        ("buprenorfine", ["Treatment options"]),  # a heading of that section, misspelt
        # Each of these has a heading on withdrawal.
        ("withdrawl symptoms", ["Staying safe", "How heroin differs", "Withdrawal and follow-up"]),
    ],
)
def test_nothing_found_offers_the_closest_sections(shipped, query, closest):
    assert shipped.search(query) == []
    assert titles(shipped.closest_sections(query)) == closest


@pytest.mark.parametrize("query", ["zzz", "xylophone", "", "?!"])
def test_nothing_close_offers_nothing(shipped, query):
    assert shipped.closest_sections(query) == []


def test_at_most_three_sections_are_offered(tmp_path):
    guide = load_guide(
        write_guide(tmp_path / "guide", {f"Meeting {number}": "Text.\n" for number in range(1, 6)})
    )
    assert titles(guide.closest_sections("meetings tomorrow")) == [
        "Meeting 1",
        "Meeting 2",
        "Meeting 3",
    ]


def test_a_section_offered_opens_at_its_top(shipped):
    [section] = shipped.closest_sections("what if he refuses")
    hit = section_hit(section)
    assert (hit.section, hit.block_index, hit.start, hit.end) == (section, 0, 0, 0)
    assert hit.context == section.title
