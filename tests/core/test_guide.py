"""The guide: loading Markdown sections, their blocks and headings, search, and bad content."""

import os
import re
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.guide import ContentError, Guide, Section, load_guide, slugify
from tui.core.safe_text import strip_controls, visible

# What must never reach the terminal from a title, a block or a snippet.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C0_C1 = "".join(chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)])


def section_text(*, id="a", title="A title", order="1", body="Some text.\n", extra=""):
    return f"---\nid: {id}\ntitle: {title}\norder: {order}\n{extra}---\n\n{body}"


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def one_section(tmp_path: Path, body: str, **front) -> Section:
    write(tmp_path / "guide", "a.md", section_text(body=body, **front))
    return load_guide(tmp_path / "guide")["a"]


def guide_of(body: str, title: str = "A title") -> Guide:
    """A guide built in memory, for property tests that cannot use tmp_path."""
    section = Section(id="a", title=title, order=1, body=body, path=Path("a.md"))
    return Guide([section], Path("."))


def texts(section: Section) -> list[str]:
    return [block.text for block in section.blocks]


@pytest.fixture(scope="module")
def shipped():
    return load_guide()


# The guide shipped with Kindred


def test_shipped_guide_has_twelve_sections_starting_with_the_introduction(shipped):
    assert len(shipped.sections) == 12
    orders = [section.order for section in shipped.sections]
    assert orders == sorted(orders)
    assert shipped.sections[0].id == "introduction"
    assert "staying-safe" in shipped
    assert shipped["staying-safe"].title == "Staying safe"


def test_every_shipped_section_has_a_title_text_and_ends_with_sources(shipped):
    for section in shipped.sections:
        assert section.title.strip(), section.path
        assert section.blocks, section.path
        assert section.headings[-1].text == "Sources", section.path
        assert section.blocks[-1].heading == "Sources", section.path


@pytest.mark.parametrize(
    "heading",
    [
        "Find an addiction specialist",
        "Choose the group",
        "Arrange treatment in advance",
        "Choose the setting",
        "Rehearse",
    ],
)
def test_preparation_steps_has_each_step_as_a_heading(shipped, heading):
    section = shipped["preparation-steps"]
    index = section.block_for_heading(slugify(heading))
    assert section.blocks[index].kind == "heading"
    assert section.blocks[index].text == heading


def test_slugify_makes_lowercase_dashed_words():
    assert slugify("Find an addiction specialist") == "find-an-addiction-specialist"
    assert slugify("  What's next? (Part 2)  ") == "what-s-next-part-2"


def test_block_for_an_unknown_heading_is_the_first_block(shipped):
    assert shipped["preparation-steps"].block_for_heading("no-such-heading") == 0


# Blocks and headings

STRUCTURED = """\
Before any heading.

## Getting ready

Under the first heading.

### The group

- first
- second
  - nested

3. three
4. four

Some **bold**, some *italic* and some `code`.

## Afterwards

> A quote.
"""


def test_headings_have_levels_slugs_and_block_indexes(tmp_path):
    section = one_section(tmp_path, STRUCTURED)
    assert [(h.level, h.text, h.slug) for h in section.headings] == [
        (2, "Getting ready", "getting-ready"),
        (3, "The group", "the-group"),
        (2, "Afterwards", "afterwards"),
    ]
    for heading in section.headings:
        block = section.blocks[heading.block_index]
        assert (block.kind, block.level, block.text) == ("heading", heading.level, heading.text)


def test_list_items_get_markers_and_nesting_depth(tmp_path):
    section = one_section(tmp_path, STRUCTURED)
    items = [(b.marker, b.level, b.text) for b in section.blocks if b.kind == "item"]
    assert items == [
        ("•", 1, "first"),
        ("•", 1, "second"),
        ("•", 2, "nested"),
        ("3.", 1, "three"),
        ("4.", 1, "four"),
    ]


def test_numbered_list_counts_from_one(tmp_path):
    section = one_section(tmp_path, "1. one\n1. two\n1. three\n")
    assert [block.marker for block in section.blocks] == ["1.", "2.", "3."]


def test_bold_italic_and_code_spans(tmp_path):
    section = one_section(tmp_path, STRUCTURED)
    block = next(b for b in section.blocks if b.text.startswith("Some bold"))
    assert block.text == "Some bold, some italic and some code."
    styled = [(s.text, s.bold, s.italic, s.code) for s in block.spans if s.text.strip(" ,.")]
    assert ("bold", True, False, False) in styled
    assert ("italic", False, True, False) in styled
    assert ("code", False, False, True) in styled
    assert ("Some ", False, False, False) in styled


def test_each_block_knows_the_nearest_heading_above_it(tmp_path):
    section = one_section(tmp_path, STRUCTURED)
    heading_of = {block.text: block.heading for block in section.blocks}
    assert heading_of["Before any heading."] == ""
    assert heading_of["Under the first heading."] == "Getting ready"
    assert heading_of["nested"] == "The group"
    assert heading_of["A quote."] == "Afterwards"
    assert [b.kind for b in section.blocks if b.text == "A quote."] == ["quote"]


def test_paragraph_after_a_list_ending_in_an_empty_item_is_a_paragraph(tmp_path):
    section = one_section(tmp_path, "- one\n-\n\nAfter the list.\n")
    after = section.blocks[-1]
    assert (after.text, after.kind, after.marker) == ("After the list.", "paragraph", "")


def test_text_after_a_nested_quote_is_still_quoted(tmp_path):
    section = one_section(tmp_path, "> outer\n>\n> > inner\n>\n> outer again\n")
    assert [(block.kind, block.text) for block in section.blocks] == [
        ("quote", "outer"),
        ("quote", "inner"),
        ("quote", "outer again"),
    ]


def test_line_breaks_inside_a_paragraph_become_spaces(tmp_path):
    section = one_section(tmp_path, "Give a second\ndose of naloxone.\n")
    assert texts(section) == ["Give a second dose of naloxone."]


# Search


def places(hits):
    return [(hit.section.id, hit.block_index, hit.start, hit.end) for hit in hits]


def test_search_ignores_case(shipped):
    hits = shipped.search("naloxone")
    assert hits
    assert places(shipped.search("NALOXONE")) == places(hits)
    assert places(shipped.search("NaLoXoNe")) == places(hits)


def test_search_finds_whole_words_not_parts_of_words(shipped):
    assert shipped.search("naloxone")
    assert shipped.search("nalox") == []
    assert shipped.search("aloxone") == []


@pytest.mark.parametrize(
    ("source", "matched"),
    [
        pytest.param("a second\ndose", "second dose", id="softbreak"),
        pytest.param("a second\\\ndose", "second\ndose", id="hard line break"),
        pytest.param("a second, **dose**", "second, dose", id="punctuation and emphasis"),
    ],
)
def test_search_finds_a_phrase_across_line_breaks_and_punctuation(tmp_path, source, matched):
    section = one_section(tmp_path, f"If there is no response, give {source} of naloxone.\n")
    guide = load_guide(tmp_path / "guide")
    [hit] = guide.search("second dose")
    assert section.blocks[hit.block_index].text[hit.start : hit.end] == matched
    assert hit.snippet[hit.snippet_start : hit.snippet_end] == matched
    assert guide.search("dose second") == []


def test_search_ignores_punctuation_in_the_query(shipped):
    expected = places(shipped.search("second dose"))
    assert expected
    for query in ['"second dose"', "second, dose!", "second-dose?", "  second   dose  "]:
        assert places(shipped.search(query)) == expected, query


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "?!", "— … -"])
def test_search_for_nothing_finds_nothing(shipped, query):
    assert shipped.search(query) == []


def test_every_hit_points_at_its_match_in_the_block_and_the_snippet(shipped):
    hits = shipped.search("naloxone")
    assert len(hits) > 5
    for hit in hits:
        matched = hit.section.blocks[hit.block_index].text[hit.start : hit.end]
        assert matched.lower() == "naloxone"
        assert hit.snippet[hit.snippet_start : hit.snippet_end] == matched


def test_snippet_of_a_long_paragraph_is_cut_at_word_boundaries(tmp_path):
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    text = " ".join([*words, *words, "naloxone", *words, *words]) + "."
    one_section(tmp_path, text + "\n")
    [hit] = load_guide(tmp_path / "guide").search("naloxone")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < len(text) / 2
    inner = hit.snippet.strip("…")
    assert inner == inner.strip()  # no half word or stray space beside the "…"
    inner = inner.split()
    assert "naloxone" in inner
    assert set(inner) <= set(text.split())


def test_snippet_of_a_short_paragraph_is_the_whole_paragraph(tmp_path):
    one_section(tmp_path, "Carry naloxone.\n")
    [hit] = load_guide(tmp_path / "guide").search("naloxone")
    assert hit.snippet == "Carry naloxone."
    assert (hit.snippet_start, hit.snippet_end) == (6, 14)


# Each word, and the words a search for it finds.
WORDS = {
    "dose": {"dose", "doses"},
    "doses": {"dose", "doses"},
    "naloxone": {"naloxone"},
    "call": {"call", "calling"},
    "calling": {"call", "calling"},
    "help": {"help"},
    "now": {"now"},
}


@given(st.lists(st.sampled_from(sorted(WORDS)), max_size=60), st.sampled_from(sorted(WORDS)))
def test_search_finds_each_occurrence_of_a_word_with_a_short_snippet(words, query):
    guide = guide_of(" ".join(words) + "\n")
    hits = guide.search(query.upper())
    assert len(hits) == len([word for word in words if word in WORDS[query]])
    for hit in hits:
        text = hit.section.blocks[hit.block_index].text
        matched = text[hit.start : hit.end]
        assert matched in WORDS[query]
        assert hit.snippet[hit.snippet_start : hit.snippet_end] == matched
        assert hit.snippet.strip("…") in text
        assert len(hit.snippet) <= len(matched) + 2 * 32 + 2


def test_hit_context_names_the_section_and_the_heading(tmp_path):
    body = "Carry naloxone always.\n\n## What to do\n\nGive naloxone now.\n"
    one_section(tmp_path, body, title="Staying safe")
    hits = load_guide(tmp_path / "guide").search("naloxone")
    assert [hit.context for hit in hits] == ["Staying safe", "Staying safe › What to do"]


def test_search_stops_at_the_limit(shipped):
    assert len(shipped.search("the")) > 3
    assert places(shipped.search("the", limit=3)) == places(shipped.search("the")[:3])


def test_search_with_a_limit_of_zero_finds_nothing(shipped):
    assert shipped.search("the", limit=0) == []


def test_search_matches_either_style_of_apostrophe(tmp_path):
    one_section(tmp_path, "Don’t argue. Don't shout.\n")
    guide = load_guide(tmp_path / "guide")
    assert len(guide.search("don't")) == 2
    assert len(guide.search("don’t")) == 2


# Bad content


def assert_content_error(directory: Path, named: Path, *phrases: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_guide(directory)
    message = str(caught.value)
    assert str(named) in message
    for phrase in phrases:
        assert phrase in message


def test_missing_directory(tmp_path):
    assert_content_error(tmp_path / "nowhere", tmp_path / "nowhere", "does not exist")


def test_directory_that_is_a_file(tmp_path):
    path = write(tmp_path, "guide.md", section_text())
    assert_content_error(path, path, "not a directory")


def test_directory_without_markdown_files(tmp_path):
    write(tmp_path / "guide", "notes.txt", section_text())
    assert_content_error(tmp_path / "guide", tmp_path / "guide", "no Markdown")


def test_file_without_front_matter(tmp_path):
    path = write(tmp_path / "guide", "a.md", "# Just a heading\n\nText.\n")
    assert_content_error(tmp_path / "guide", path, "does not start with front matter")


def test_empty_file(tmp_path):
    path = write(tmp_path / "guide", "a.md", "")
    assert_content_error(tmp_path / "guide", path, "does not start with front matter")


def test_unclosed_front_matter(tmp_path):
    path = write(tmp_path / "guide", "a.md", "---\nid: a\ntitle: A\norder: 1\n\nText.\n")
    assert_content_error(tmp_path / "guide", path, "front matter is not closed")


@pytest.mark.parametrize("key", ["id", "title", "order"])
def test_front_matter_without_a_required_key(tmp_path, key):
    lines = section_text().splitlines(keepends=True)
    text = "".join(line for line in lines if not line.startswith(f"{key}:"))
    path = write(tmp_path / "guide", "a.md", text)
    assert_content_error(tmp_path / "guide", path, f"has no {key}")


def test_front_matter_with_an_empty_title(tmp_path):
    path = write(tmp_path / "guide", "a.md", section_text(title=""))
    assert_content_error(tmp_path / "guide", path, "has no title")


@pytest.mark.parametrize("order", ["three", "1.5", "first"])
def test_order_that_is_not_a_whole_number(tmp_path, order):
    path = write(tmp_path / "guide", "a.md", section_text(order=order))
    assert_content_error(tmp_path / "guide", path, "whole number", repr(order))


def test_two_sections_with_the_same_id(tmp_path):
    write(tmp_path / "guide", "01-a.md", section_text(id="same", order="1"))
    second = write(tmp_path / "guide", "02-b.md", section_text(id="same", order="2"))
    assert_content_error(tmp_path / "guide", second, "id 'same'", "already used", "01-a.md")


def test_two_sections_with_the_same_order(tmp_path):
    write(tmp_path / "guide", "01-a.md", section_text(id="a", order="4"))
    second = write(tmp_path / "guide", "02-b.md", section_text(id="b", order="4"))
    assert_content_error(tmp_path / "guide", second, "order 4", "already used", "01-a.md")


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "guide" / "a.md"
    path.parent.mkdir()
    path.write_bytes(section_text(title="Caf\xe9").encode("latin-1"))
    assert_content_error(tmp_path / "guide", path, "not UTF-8")


def test_front_matter_line_without_a_colon(tmp_path):
    path = write(tmp_path / "guide", "a.md", section_text(extra="just some words\n"))
    assert_content_error(tmp_path / "guide", path, "line 5", "key: value", "just some words")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("'Quoted'", "Quoted"),
        ('"Quoted"', "Quoted"),
        ("It's here", "It's here"),
        pytest.param("The parents'", "The parents'"),
        pytest.param('"Say "no""', 'Say "no"'),
    ],
)
def test_quotes_around_a_title_are_removed_but_quotes_inside_kept(tmp_path, written, shown):
    assert one_section(tmp_path, "Text.\n", title=written).title == shown


def test_a_byte_order_mark_is_allowed(tmp_path):
    write(tmp_path / "guide", "a.md", "\ufeff" + section_text(title="With BOM"))
    assert load_guide(tmp_path / "guide")["a"].title == "With BOM"


# Hostile content: markup and terminal control sequences

MARKUP = "[b]bold[/b] [@click=app.quit]x[/] [link=x]here"


def test_markup_like_text_stays_literal_in_titles_blocks_and_snippets(tmp_path):
    section = one_section(tmp_path, f"Say {MARKUP} now.\n\n## {MARKUP}\n", title=MARKUP)
    assert section.title == MARKUP
    assert texts(section) == [f"Say {MARKUP} now.", MARKUP]
    hits = load_guide(tmp_path / "guide").search("bold")
    assert len(hits) == 3  # the title, the heading and the paragraph
    assert all("[b]bold[/b] [@click=app.quit]x[/]" in hit.snippet for hit in hits)
    links = load_guide(tmp_path / "guide").search("here")
    assert len(links) == 3
    assert all("[link=x]here" in hit.snippet for hit in links)
    assert [hit.context for hit in hits] == [MARKUP, MARKUP, MARKUP]


HOSTILE = [
    pytest.param("\x1b[2J\x1b[31m", id="ESC CSI"),
    pytest.param("\x1b]0;owned\x07", id="OSC title with BEL"),
    pytest.param("\x1b]8;;https://evil\x1b\\", id="OSC hyperlink with ST"),
    pytest.param("\x9b31m\x9d0;owned\x9c", id="C1 CSI OSC ST"),
    pytest.param("\u202eevil\u202c", id="bidi override"),
    pytest.param("\u2066\u2067\u2068\u2069\u202a\u202b\u202d", id="bidi isolates"),
    pytest.param("\x00\x08\x7f\x0e\x1f", id="NUL BS DEL"),
]


def assert_no_controls(text: str) -> None:
    assert not CONTROL.search(text), repr(text)


@pytest.mark.parametrize("sequence", HOSTILE)
def test_control_sequences_are_made_visible_in_titles_blocks_and_snippets(tmp_path, sequence):
    body = (
        f"Plain {sequence} naloxone {sequence} text.\n\n"
        f"## Heading {sequence}\n\n"
        f"- item {sequence} naloxone\n\n"
        f"Inline `{sequence}` code and *{sequence}* emphasis.\n\n"
        f"```\n{sequence}\n```\n"
    )
    section = one_section(tmp_path, body, title=f"Title {sequence}end")
    assert section.title.startswith("Title ") and section.title.endswith("end")
    assert section.title != "Title end"  # shown as symbols, not silently dropped
    assert_no_controls(section.title)
    assert len(section.blocks) == 5
    for block in section.blocks:
        assert_no_controls(block.text)
        assert_no_controls(block.heading)
    hits = load_guide(tmp_path / "guide").search("naloxone")
    assert len(hits) == 2
    for hit in hits:
        assert_no_controls(hit.snippet)
        assert_no_controls(hit.context)


def test_escape_is_shown_as_a_symbol(tmp_path):
    section = one_section(tmp_path, "Red \x1b[31m text.\n", title="A \x1b]0;x\x07 title")
    assert section.title == "A ␛]0;x␇ title"
    assert texts(section) == ["Red ␛[31m text."]


@pytest.mark.parametrize("character", ["\x85", "\x0c", "\x1c", "\u2028"])
def test_line_break_like_controls_in_a_title_are_made_visible(tmp_path, character):
    section = one_section(tmp_path, "Text.\n", title=f"One{character}two")
    assert section.title.startswith("One") and section.title.endswith("two")
    assert_no_controls(section.title)


def test_line_and_paragraph_separators_break_code_and_are_spaces_elsewhere(tmp_path):
    body = "One\u2028two\u2029three.\n\n~~~\nfirst\u2028second\u2029third\n~~~\n"
    section = one_section(tmp_path, body, title="A\u2028title")
    assert section.title == "A title"
    assert texts(section) == ["One two three.", "first\nsecond\nthird"]


def hostile_text(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(
        st.one_of(
            st.sampled_from(list("ab naloxone*_`#>-[]\n") + list(C0_C1) + list(BIDI)),
            characters,
        ),
        max_size=80,
    )


HOSTILE_TEXT = hostile_text(st.characters())
# A guide file is UTF-8, which cannot hold a lone surrogate (category Cs).
HOSTILE_FILE_TEXT = hostile_text(st.characters(exclude_categories=("Cs",)))


@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_no_control_character_reaches_blocks_or_snippets(before, after):
    guide = guide_of(f"{before}\n\nSee naloxone {after}\n")
    for block in guide["a"].blocks:
        assert_no_controls(block.text)
        assert_no_controls(block.heading)
    for hit in guide.search("naloxone"):
        assert_no_controls(hit.snippet)


# safe_text

PRINTABLE = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters=BIDI)
)
ANY_TEXT = st.lists(
    st.one_of(st.characters(), st.sampled_from([*C0_C1, *BIDI, *"\u2028\u2029", "\r\n"]))
).map("".join)
LINE_BREAKS = "\u2028\u2029"


@given(ANY_TEXT)
def test_single_line_text_keeps_no_control_or_line_break(text):
    cleaned = strip_controls(text)
    assert not set(cleaned) & set(C0_C1 + BIDI + LINE_BREAKS)


@given(ANY_TEXT)
def test_multiline_text_keeps_only_newlines_and_tabs(text):
    cleaned = strip_controls(text, multiline=True)
    assert not set(cleaned) & (set(C0_C1 + BIDI + LINE_BREAKS) - {"\n", "\t"})


@given(ANY_TEXT)
def test_visible_shows_every_control_as_one_symbol(text):
    for multiline in (False, True):
        shown = visible(text, multiline=multiline)
        assert not set(shown) & (set(C0_C1 + BIDI + LINE_BREAKS) - {"\n", "\t"})
        assert len(shown) == len(text)


@given(PRINTABLE)
def test_printable_text_is_unchanged(text):
    assert strip_controls(text) == text
    assert strip_controls(text, multiline=True) == text
    assert visible(text) == text


@given(st.lists(PRINTABLE, max_size=5), st.sampled_from(["\n", "\t"]))
def test_multiline_text_keeps_its_lines_and_tabs(lines, separator):
    text = separator.join(lines)
    assert strip_controls(text, multiline=True) == text
    assert visible(text) == text


def test_strip_controls_examples():
    assert strip_controls("a\r\nb\rc\nd\te") == "a b c d e"
    assert strip_controls("a\r\nb\rc\u2028d", multiline=True) == "a\nb\nc\nd"
    assert strip_controls("\x1b[31mred\x9b0m \u202eevil", multiline=True) == "[31mred0m evil"


def test_visible_examples():
    assert visible("\x1b[31m") == "␛[31m"
    assert visible("\x00\x07\x7f") == "␀␇␡"
    assert visible("\x9b\u202e") == "\ufffd\ufffd"
    assert visible("line\nnext\tcell") == "line\nnext\tcell"
    assert visible("one\u2028line\u2029only") == "one line only"
    assert visible("two\u2028lines", multiline=True) == "two\nlines"


# The parsed guide kept in a cache file


def cached_guide(tmp_path: Path, body: str = STRUCTURED) -> tuple[Path, Path]:
    """A one-section guide directory and the cache file made by loading it once."""
    write(tmp_path / "guide", "a.md", section_text(body=body))
    cache = tmp_path / "cache" / "kindred" / "guide.json"
    load_guide(tmp_path / "guide", cache)
    return tmp_path / "guide", cache


def unparsable(monkeypatch) -> None:
    """From here on, a section can only get its blocks from the cache."""

    def refuse(body):
        raise AssertionError("parsed again instead of read from the cache")

    monkeypatch.setattr("tui.core.guide._parse_blocks", refuse)


def test_the_cache_is_private_and_a_second_start_reads_blocks_from_it(tmp_path, monkeypatch):
    directory, cache = cached_guide(tmp_path)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    expected = load_guide(directory)["a"].blocks
    unparsable(monkeypatch)
    assert load_guide(directory, cache)["a"].blocks == expected


def test_a_section_whose_text_changed_is_parsed_again_and_the_cache_updated(tmp_path, monkeypatch):
    directory, cache = cached_guide(tmp_path)
    write(directory, "a.md", section_text(body="## A new heading\n\nNew words.\n"))
    assert texts(load_guide(directory, cache)["a"]) == ["A new heading", "New words."]
    unparsable(monkeypatch)
    assert texts(load_guide(directory, cache)["a"]) == ["A new heading", "New words."]


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not json at all {",
        lambda text: "[]",
        lambda text: text.replace('"format": 1', '"format": 99'),
        lambda text: text.replace('"heading"', '"banner"'),  # a kind Kindred never writes
        lambda text: text.replace("Under the first heading.", "Under \\u001b[2J the heading."),
        lambda text: text.replace("false", "0"),
        lambda text: text.replace('["heading", 2', '["heading", "2"'),
        lambda text: text.replace('["heading", 2, "", ""', '["heading", 2, ""'),
    ],
)
def test_a_damaged_cache_is_ignored_and_made_again(tmp_path, damage):
    directory, cache = cached_guide(tmp_path)
    damaged = damage(cache.read_text(encoding="utf-8"))
    assert damaged != cache.read_text(encoding="utf-8")
    cache.write_text(damaged, encoding="utf-8")
    section = load_guide(directory, cache)["a"]
    assert section.blocks == load_guide(directory)["a"].blocks
    assert not any(CONTROL.search(block.text) for block in section.blocks)


def test_a_cache_that_cannot_be_written_does_not_stop_the_guide(tmp_path):
    write(tmp_path / "guide", "a.md", section_text(body=STRUCTURED))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    guide = load_guide(tmp_path / "guide", blocker / "guide.json")
    assert texts(guide["a"])[:2] == ["Before any heading.", "Getting ready"]


@given(HOSTILE_FILE_TEXT, HOSTILE_FILE_TEXT)
def test_blocks_read_back_from_the_cache_are_the_parsed_ones(before, after):
    with tempfile.TemporaryDirectory() as folder:
        directory, cache = cached_guide(Path(folder), f"{before}\n\n## {after}\n\n- {before}\n")
        assert load_guide(directory, cache)["a"].blocks == load_guide(directory)["a"].blocks


def test_a_cache_others_could_have_written_is_not_trusted(tmp_path):
    # The guide holds safety advice: a cache file someone else may write could change it.
    directory, cache = cached_guide(tmp_path)
    tampered = cache.read_text(encoding="utf-8").replace('["nested"', '["changed"')
    cache.write_text(tampered, encoding="utf-8")
    assert "changed" in texts(load_guide(directory, cache)["a"])  # the same file, if private
    cache.write_text(tampered, encoding="utf-8")
    cache.chmod(0o620)
    assert "changed" not in texts(load_guide(directory, cache)["a"])


def test_a_pipe_at_the_cache_path_does_not_hold_up_the_guide(tmp_path):
    write(tmp_path / "guide", "a.md", section_text(body=STRUCTURED))
    cache = tmp_path / "guide.json"
    os.mkfifo(cache)
    assert texts(load_guide(tmp_path / "guide", cache)["a"])[0] == "Before any heading."
