"""Access control lists as the kernel keeps them, and saves that keep them."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core import acl, atomic_file, plan_file
from tui.core.acl import GROUP, GROUP_OBJ, MASK, NO_ID, OTHER, USER, USER_OBJ, Acl
from tui.core.store import Store

ALICE, BOB = 4001, 4002  # ids no account needs to have: the kernel stores any id

needs_getfacl = pytest.mark.skipif(
    shutil.which("getfacl") is None, reason="getfacl is missing (apt-get install acl)"
)


@pytest.fixture(autouse=True)
def lists_kept(tmp_path):
    if not acl.supported(tmp_path):
        pytest.skip("this file system keeps no access control lists")


def getfacl(path: Path) -> list[str]:
    """What the acl package's own tool reads: an independent check of the layout."""
    result = subprocess.run(
        ["getfacl", "--omit-header", "--numeric", "--", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def private_file(path: Path) -> Path:
    path.write_text("x")
    os.chmod(path, 0o600)
    return path


def shared_with_alice(path: Path) -> Acl:
    return acl.access_list(path, os.lstat(path).st_mode).with_user(ALICE, 6)


@needs_getfacl
def test_a_list_written_here_is_what_getfacl_reads(tmp_path):
    path = private_file(tmp_path / "plan")
    acl.set_access_list(path, shared_with_alice(path).with_user(BOB, 4))
    assert getfacl(path) == [
        "user::rw-",
        f"user:{ALICE}:rw-",
        f"user:{BOB}:r--",
        "group::---",
        "mask::rw-",
        "other::---",
    ]
    assert mode_of(path) == 0o660  # the mask shows as the group's bits


@needs_getfacl
def test_a_list_set_by_setfacl_is_read_here(tmp_path):
    path = private_file(tmp_path / "plan")
    subprocess.run(
        ["setfacl", "-m", f"u:{ALICE}:rw,u:{BOB}:r,g:{BOB}:r,m::r", "--", str(path)], check=True
    )
    found = acl.access_list(path, os.lstat(path).st_mode)
    assert found.users() == {ALICE: 4, BOB: 4}  # the mask limits alice to reading
    assert found.groups() == {BOB: 4}
    assert found.perms[(USER, ALICE)] == 6


def test_a_file_without_a_list_is_read_as_its_mode(tmp_path):
    path = private_file(tmp_path / "plan")
    os.chmod(path, 0o640)
    assert acl.access_list(path, os.lstat(path).st_mode) == Acl.from_mode(0o640)
    assert not Acl.from_mode(0o640).extended


def test_removing_the_last_name_leaves_the_mode_no_wider_than_before(tmp_path):
    path = private_file(tmp_path / "plan")
    os.chmod(path, 0o640)
    narrowed = acl.access_list(path, 0o640).with_user(ALICE, 6)
    narrowed.perms[(MASK, NO_ID)] = 0  # the group may not read while the mask says so
    acl.set_access_list(path, narrowed)
    acl.set_access_list(path, acl.access_list(path, os.lstat(path).st_mode).without_user(ALICE))
    assert mode_of(path) == 0o600
    assert acl.access_list(path, 0o600) == Acl.from_mode(0o600)


perm = st.integers(0, 7)
ids = st.integers(1000, 1010)


@st.composite
def lists(draw) -> Acl:
    perms = {(tag, NO_ID): draw(perm) for tag in (USER_OBJ, GROUP_OBJ, OTHER)}
    for uid in draw(st.sets(ids, max_size=3)):
        perms[(USER, uid)] = draw(perm)
    for gid in draw(st.sets(ids, max_size=2)):
        perms[(GROUP, gid)] = draw(perm)
    if any(tag in (USER, GROUP) for tag, _ in perms):
        perms[(MASK, NO_ID)] = draw(perm)
    return Acl(perms)


@given(lists(), ids, perm)
def test_naming_a_user_changes_what_nobody_else_may_do(before, uid, allowed):
    after = before.with_user(uid, allowed)
    assert after.users()[uid] == allowed
    for tag, number in before.perms:
        if tag != MASK and (tag, number) != (USER, uid):
            assert after.effective(tag, number) == before.effective(tag, number)
    removed = after.without_user(uid)
    assert uid not in removed.users()
    for tag, number in removed.perms:
        if tag != MASK:
            assert removed.effective(tag, number) == after.effective(tag, number)


@given(lists())
def test_a_list_survives_its_own_layout(found):
    assert Acl.decode(found.encode()) == found


def test_a_list_of_another_version_or_length_is_refused():
    raw = Acl.from_mode(0o600).encode()
    with pytest.raises(ValueError):
        Acl.decode(raw[:-1])
    with pytest.raises(ValueError):
        Acl.decode(b"\x03\x00\x00\x00" + raw[4:])


@pytest.mark.parametrize(
    ("uid", "gids", "want", "allowed"),
    [
        (1, set(), 6, True),  # the owner
        (ALICE, set(), 6, True),  # named, within the mask
        (BOB, set(), 2, False),  # named for reading only
        (BOB, set(), 4, True),
        (9, {BOB}, 4, False),  # the named group's entry is masked away
        (9, {50}, 4, False),  # in the owning group, which may do nothing: not others either
        (9, set(), 4, True),  # others
    ],
)
def test_who_is_allowed_follows_the_rules_of_acl_5(uid, gids, want, allowed):
    found = Acl(
        {
            (USER_OBJ, NO_ID): 6,
            (USER, ALICE): 6,
            (USER, BOB): 4,
            (GROUP_OBJ, NO_ID): 0,
            (GROUP, BOB): 1,
            (MASK, NO_ID): 6,
            (OTHER, NO_ID): 4,
        }
    )
    assert found.allows(uid, gids, (1, 50), want) is allowed


# --- saves keep the list ------------------------------------------------------------------


def test_a_save_keeps_the_list_of_the_file_it_replaces_and_its_backup_keeps_it_too(tmp_path):
    plan = tmp_path / "kindred.json"
    store = Store(plan)
    store.insert("people", {"id": "a"})
    shared = shared_with_alice(plan)
    acl.set_access_list(plan, shared)
    before = os.stat(plan).st_ino
    store.insert("people", {"id": "b"})
    assert os.stat(plan).st_ino != before  # a new file, renamed into place
    assert acl.access_list(plan, os.lstat(plan).st_mode) == shared
    backup = plan_file.backups(plan)[0]
    assert acl.access_list(backup, os.lstat(backup).st_mode) == shared


def test_a_save_never_keeps_what_others_could_do(tmp_path):
    plan = tmp_path / "kindred.json"
    store = Store(plan)
    store.insert("people", {"id": "a"})
    os.chmod(plan, 0o644)
    acl.set_access_list(plan, shared_with_alice(plan))
    store.insert("people", {"id": "b"})
    assert mode_of(plan) == 0o660
    assert acl.access_list(plan, os.lstat(plan).st_mode).users() == {ALICE: 6}


def test_a_save_of_a_file_without_a_list_leaves_none_from_the_folder(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir(mode=0o700)
    plan = folder / "kindred.json"
    Store(plan).insert("people", {"id": "a"})
    acl.set_default_list(folder, Acl.from_mode(0o700).with_user(ALICE, 7))
    Store(plan).insert("people", {"id": "b"})
    assert acl.access_list(plan, os.lstat(plan).st_mode) == Acl.from_mode(0o600)


def test_new_files_in_a_folder_shared_by_name_are_open_to_those_names_only(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir(mode=0o700)
    assert atomic_file.new_file_mode(folder) == 0o600
    acl.set_default_list(folder, Acl.from_mode(0o700).with_user(ALICE, 7))
    assert atomic_file.new_file_mode(folder) == 0o660
    plan = folder / "kindred.json"
    Store(plan).insert("people", {"id": "a"})
    for made in (plan, plan.with_name("kindred.json.lock")):
        found = acl.access_list(made, os.lstat(made).st_mode)
        assert found.users() == {ALICE: 6}
        assert found.effective(GROUP_OBJ) == 0 and found.perms[(OTHER, NO_ID)] == 0


def test_a_default_list_that_gives_a_group_new_files_keeps_them_private(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir(mode=0o700)
    acl.set_default_list(folder, Acl.from_mode(0o750).with_user(ALICE, 7))
    assert atomic_file.new_file_mode(folder) == 0o600


def test_saves_work_where_the_file_system_keeps_no_lists(tmp_path, monkeypatch):
    def unsupported(*args, **kwargs):
        raise OSError(95, "Operation not supported")

    for name in ("getxattr", "setxattr", "removexattr"):
        monkeypatch.setattr(os, name, unsupported)
    plan = tmp_path / "kindred.json"
    store = Store(plan)
    store.insert("people", {"id": "a"})
    store.insert("people", {"id": "b"})
    assert len(store.read()["people"]) == 2
    assert mode_of(plan) == 0o600
    assert not acl.supported(tmp_path)
