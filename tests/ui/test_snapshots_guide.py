"""What the guide looks like, at the smallest common terminal and a larger one."""

import pytest

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_guide_opens_on_the_first_section(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size)


# Headings first; a section's title, then words with other endings; the closest sections.
@pytest.mark.parametrize(
    "query", ["naloxone", "refuse", "what if he refuses"], ids=["naloxone", "refuse", "closest"]
)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_results(snap_compare, make_app, size, query):
    assert snap_compare(make_app(), press=["slash", *query], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_hit_opened(snap_compare, make_app, size):
    keys = ["slash", *"second dose", "enter"]
    assert snap_compare(make_app(), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_help(snap_compare, make_app, size):
    assert snap_compare(make_app(), press=["f1"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_safety_section(snap_compare, make_app, size):
    assert snap_compare(make_app(), press=["f5"], terminal_size=size)


def test_too_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(50, 12))
