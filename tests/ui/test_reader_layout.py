"""How a guide section is laid out into lines for the width it is shown at."""

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.core.guide import load_guide
from tui.ui.widgets.reader import MARKER_WIDTH, lay_out

GUIDE = load_guide()


@settings(max_examples=60, deadline=None)
@given(section=st.sampled_from(GUIDE.sections), width=st.integers(min_value=20, max_value=200))
def test_every_line_fits_and_every_block_starts_where_it_says(section, width):
    layout = lay_out(section, width)
    assert all(cell_len(line.plain) <= width for line in layout.lines)
    for block, first_line in zip(section.blocks, layout.block_lines, strict=True):
        words = block.text.split()
        if words:
            assert words[0][:5] in layout.lines[first_line].plain


def test_list_items_keep_a_hanging_indent():
    section = GUIDE["preparation-steps"]
    index, block = next(
        (i, b) for i, b in enumerate(section.blocks) if b.kind == "item" and len(b.text) > 60
    )
    layout = lay_out(section, 40)
    first = layout.block_lines[index]
    assert layout.lines[first].plain.startswith(block.marker)
    following = layout.lines[first + 1].plain
    assert following.startswith(" " * MARKER_WIDTH) and not following[MARKER_WIDTH].isspace()


def test_a_search_hit_is_highlighted_in_its_block_only():
    hit = GUIDE.search("second dose")[0]
    layout = lay_out(hit.section, 60, (hit.block_index, (hit.start, hit.end)))
    reversed_text = [
        line.plain[span.start : span.end]
        for line in layout.lines
        for span in line.spans
        if "reverse" in str(span.style)
    ]
    assert "".join(reversed_text).replace(" ", "") == "seconddose"


def test_a_word_longer_than_the_width_is_folded_not_cut():
    section = GUIDE.sections[0]
    long_word = "x" * 150
    layout = lay_out(type(section)(section.id, long_word, 1, "", section.path), 40)
    assert "".join(line.plain for line in layout.lines[:4]).startswith(long_word)


@settings(max_examples=40, deadline=None)
@given(section=st.sampled_from(GUIDE.sections), width=st.integers(min_value=20, max_value=120))
def test_a_blank_line_separates_blocks_and_follows_a_list_but_not_its_items(section, width):
    layout = lay_out(section, width)
    pairs = zip(section.blocks, section.blocks[1:], layout.block_lines[1:], strict=False)
    for block, following, first_line in pairs:
        blank_before = layout.lines[first_line - 1].plain == ""
        assert blank_before == (not (block.kind == following.kind == "item")), following.text
