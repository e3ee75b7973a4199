"""What the country changes on screen: F5 in two countries, the question at the first start,
and the safety part of the plan."""

import pytest
from country_files import LOCALES, write_guide


@pytest.mark.parametrize("code", ["GB", "US"])
def test_staying_safe_in_a_country(snap_compare, make_app, tmp_path, monkeypatch, code):
    monkeypatch.setenv("LANG", LOCALES[code])
    app = make_app(content=write_guide(tmp_path / "guide"), data_path=tmp_path / "plan.json")
    assert snap_compare(app, press=["f5"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_which_country_at_the_first_start(snap_compare, make_app, tmp_path, monkeypatch, size):
    monkeypatch.setenv("LANG", "C.UTF-8")
    app = make_app(content=write_guide(tmp_path / "guide"), data_path=tmp_path / "plan.json")
    assert snap_compare(app, terminal_size=size)


def test_safety_at_the_meeting(snap_compare, make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", LOCALES["GB"])
    app = make_app(content=write_guide(tmp_path / "guide"), data_path=tmp_path / "plan.json")
    keys = ["f3", "end", "up"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24))
