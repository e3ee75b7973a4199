"""Where someone was when they left, read back at the next start."""

import os
import stat

from hypothesis import given
from hypothesis import strategies as st

from tui.core.last_place import Place, read_place, write_place


def test_a_place_kept_for_a_plan_is_read_back_for_that_plan_only(tmp_path):
    path = tmp_path / "state" / "last-place.json"
    plan = tmp_path / "plan.json"
    place = Place("plan", "staying-safe", "people:abc")
    write_place(path, plan, place)
    assert read_place(path, plan) == place
    assert read_place(path, tmp_path / "other.json") == Place()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_no_file_or_one_others_can_write_opens_on_the_guide(tmp_path):
    path = tmp_path / "last-place.json"
    plan = tmp_path / "plan.json"
    assert read_place(path, plan) == Place()
    write_place(path, plan, Place("rehearse", "", ""))
    path.chmod(0o666)
    assert read_place(path, plan) == Place()


@given(junk=st.binary(max_size=200))
def test_any_bytes_in_the_file_give_a_place_or_the_start(tmp_path_factory, junk):
    path = tmp_path_factory.mktemp("place") / "last-place.json"
    path.write_bytes(junk)
    path.chmod(0o600)
    place = read_place(path, path)
    assert place.pane in ("guide", "plan", "rehearse")


def test_a_place_that_cannot_be_kept_is_let_go_quietly(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    write_place(blocker / "last-place.json", tmp_path / "plan.json", Place("plan"))
