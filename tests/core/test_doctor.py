"""`kindred doctor` and the privacy check of the plan file: what a helper and a user see."""

import fcntl
import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import pytest

from tui.cli import main
from tui.cli.doctor import colour_depth, doctor_command
from tui.core import acl, plan_file
from tui.core.guide import load_guide
from tui.core.permissions import check_data_file, summary
from tui.core.plan_file import BEFORE_IMPORT
from tui.core.store import Store

NOBODY = 65534
SECRET_NAME = "Zebediah Quillfeather"
SECRET_WORDS = "the night at the lake house"

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving files away needs root")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir()
    os.chmod(folder, 0o700)
    return folder


@pytest.fixture
def plan(folder: Path) -> Path:
    return folder / "kindred.json"


def save_plan(path: Path, saves: int = 1) -> None:
    store = Store(path)
    for n in range(saves):
        store.upsert("people", "p1", {"name": SECRET_NAME, "statement": SECRET_WORDS, "n": n})


def put_file(path: Path, mode: int, text: str | None = None) -> None:
    """A file with this mode: an empty plan saved by Kindred, or else text written by hand."""
    if text is None:
        Store(path).replace_all(lambda _: {})
        os.unlink(plan_file.lock_path(path))  # as a plan copied in from elsewhere
    else:
        path.write_text(text)
    os.chmod(path, mode)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def severities(findings) -> list[str]:
    return [finding.severity for finding in findings]


def problems(findings):
    return [finding for finding in findings if finding.severity == "problem"]


def group_of(path: Path) -> str:
    return grp.getgrgid(os.stat(path).st_gid).gr_name


def everything_under(root: Path) -> list[tuple[str, int]]:
    return sorted(
        (str(Path(top, name)), os.lstat(Path(top, name)).st_mode)
        for top, folders, files in os.walk(root)
        for name in folders + files
    )


# --- check_data_file --------------------------------------------------------------------


def test_a_plan_saved_by_kindred_is_private_everywhere(plan):
    save_plan(plan, saves=3)
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "ok"]
    assert f"{plan} is private" in findings[0].message
    assert f"{plan.parent} is private" in findings[1].message
    assert "private" in summary(findings)


def test_a_plan_file_anyone_can_read_is_a_problem_with_a_chmod_600_fix(plan):
    put_file(plan, 0o644)
    [finding] = problems(check_data_file(plan))
    assert "Anyone with an account" in finding.message
    assert str(plan) in finding.message and "0644" in finding.message
    assert finding.fix.endswith(f"chmod 600 {plan}")


def test_a_group_readable_plan_in_a_private_folder_is_a_problem(plan):
    put_file(plan, 0o640)
    [finding] = problems(check_data_file(plan))
    assert f"People in the group {group_of(plan)} can read" in finding.message
    assert finding.fix.endswith(f"chmod 600 {plan}")


def test_a_group_shared_folder_may_share_the_plan_with_its_group(folder, plan):
    os.chmod(folder, 0o2770)
    put_file(plan, 0o660)
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "ok"]
    assert f"shared with the group {group_of(folder)}" in findings[0].message


def test_a_new_plan_in_a_group_shared_folder_will_be_shared_with_the_group(folder, plan):
    os.chmod(folder, 0o2770)
    [file_finding, _] = check_data_file(plan)
    assert file_finding.severity == "ok"
    assert f"shared with the group {group_of(folder)} (0660)" in file_finding.message


@pytest.mark.parametrize(
    ("folder_mode", "file_mode", "what"),
    [
        (0o2775, 0o660, "look into the folder"),
        (0o2773, 0o660, "add, rename or delete files in the folder"),
        (0o2770, 0o664, "read the plan file"),
    ],
)
def test_a_shared_plan_open_to_people_outside_the_group_is_a_problem(
    folder, plan, folder_mode, file_mode, what
):
    os.chmod(folder, folder_mode)
    put_file(plan, file_mode)
    [finding] = problems(check_data_file(plan))
    assert f"People outside the group {group_of(folder)} can {what}" in finding.message
    assert "chmod o-rwx" in finding.fix


def test_a_folder_others_can_look_into_is_a_warning(folder, plan):
    os.chmod(folder, 0o755)
    put_file(plan, 0o600)
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "warning"]
    assert "can see that it is there" in findings[1].message
    assert findings[1].fix.endswith(f"chmod 700 {folder}")


def test_a_folder_the_group_can_write_in_without_being_shared_is_a_problem(folder, plan):
    os.chmod(folder, 0o770)  # no setgid bit: not a shared folder
    put_file(plan, 0o600)
    [finding] = problems(check_data_file(plan))
    assert "could replace the plan" in finding.message
    assert finding.fix.endswith(f"chmod 700 {folder}")


def test_a_folder_for_everyone_like_tmp_is_left_alone_and_the_plan_moved(folder, plan):
    os.chmod(folder, 0o1777)
    put_file(plan, 0o600)
    [finding] = problems(check_data_file(plan))
    assert "could replace the plan" in finding.message
    assert "chmod" not in finding.fix
    assert finding.fix.startswith("Keep the plan in a private folder of your own")


def test_a_symbolic_link_at_the_plan_path_is_a_problem_and_is_not_followed(tmp_path, plan):
    elsewhere = tmp_path / "elsewhere.json"
    put_file(elsewhere, 0o644)
    plan.symlink_to(elsewhere)
    [finding] = problems(check_data_file(plan))
    assert "symbolic link" in finding.message
    assert f"ls -l {plan}" in finding.fix
    assert mode_of(elsewhere) == 0o644  # neither reported nor touched through the link


def test_a_missing_plan_and_folder_are_fine_and_are_not_created(tmp_path):
    plan = tmp_path / "not" / "yet" / "kindred.json"
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "ok"]
    assert "will be created, private (0600)" in findings[0].message
    assert "will be created, private (0700)" in findings[1].message
    assert not (tmp_path / "not").exists()


@as_root
def test_a_plan_file_owned_by_another_account_is_a_problem(plan):
    put_file(plan, 0o600)
    os.chown(plan, NOBODY, NOBODY)
    [finding] = problems(check_data_file(plan))
    assert "owned by another account" in finding.message
    assert f"uid {NOBODY}" in finding.message


@as_root
def test_a_plan_folder_owned_by_another_account_is_a_problem(folder, plan):
    put_file(plan, 0o600)
    os.chown(folder, NOBODY, NOBODY)
    [finding] = problems(check_data_file(plan))
    assert f"The folder {folder} belongs to another account" in finding.message
    assert "mkdir -m 700" in finding.fix


@as_root
def test_in_a_shared_folder_a_plan_of_another_group_member_is_fine(folder, plan):
    try:
        nobody = pwd.getpwuid(NOBODY)
    except KeyError:
        pytest.skip("no account with uid 65534 here")
    os.chown(folder, 0, nobody.pw_gid)
    os.chmod(folder, 0o2770)
    put_file(plan, 0o660)
    os.chown(plan, NOBODY, nobody.pw_gid)
    assert severities(check_data_file(plan)) == ["ok", "ok"]

    os.chown(folder, 0, 0)  # now nobody is outside the folder's group
    os.chmod(folder, 0o2770)
    [owner, group] = problems(check_data_file(plan))
    assert f"({nobody.pw_name}, uid {NOBODY}), outside the group" in owner.message
    assert f"but the plan is shared with the group {group_of(folder)}" in group.message


def test_a_lock_file_others_can_open_is_reported(plan):
    save_plan(plan)
    lock = plan.with_name("kindred.json.lock")
    os.chmod(lock, 0o644)
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "ok", "warning"]
    assert str(lock) in findings[2].message
    assert findings[2].fix.endswith(f"chmod 600 {lock}")


def test_a_backup_others_can_read_is_a_problem(plan):
    save_plan(plan, saves=2)
    [backup] = Store(plan).backups()
    os.chmod(backup, 0o644)
    [finding] = problems(check_data_file(plan))
    assert f"the backup {backup}" in finding.message


def test_a_plan_set_aside_as_unreadable_is_checked_too(plan):
    put_file(plan, 0o644, "not json")
    kept = Store.set_aside(plan)
    [finding] = problems(check_data_file(plan))
    assert f"the kept plan {kept} (mode 0644)" in finding.message


def test_findings_come_in_order_file_folder_lock_backups(folder, plan):
    save_plan(plan, saves=2)
    os.chmod(folder, 0o755)
    [backup] = Store(plan).backups()
    for path in (plan, plan.with_name("kindred.json.lock"), backup):
        os.chmod(path, 0o644)
    findings = check_data_file(plan)
    assert [finding.message.split(" (mode")[0].rsplit(" ", 1)[-1] for finding in findings] == [
        str(plan),
        str(folder),
        str(plan) + ".lock",
        str(backup),
    ]
    assert findings == check_data_file(plan)


@pytest.mark.parametrize(
    ("folder_mode", "file_mode", "lock_mode"),
    [
        (0o700, 0o644, 0o600),
        (0o700, 0o666, 0o600),
        (0o700, 0o640, 0o600),
        (0o755, 0o600, 0o600),
        (0o777, 0o600, 0o600),
        (0o2775, 0o664, 0o660),
        (0o700, 0o600, 0o644),
    ],
)
def test_running_every_fix_leaves_nothing_to_fix_and_opens_nothing_up(
    folder, plan, folder_mode, file_mode, lock_mode
):
    save_plan(plan, saves=2)
    os.chmod(plan, file_mode)
    os.chmod(plan.with_name("kindred.json.lock"), lock_mode)
    os.chmod(folder, folder_mode)
    before = {path: mode_of(path) for path in [folder, *folder.iterdir()]}
    fixes = [finding.fix for finding in check_data_file(plan) if finding.fix]
    assert fixes
    for fix in fixes:
        command = fix.split("run: ", 1)[1]
        subprocess.run(command, shell=True, check=True)
    assert severities(check_data_file(plan)) == ["ok", "ok"]
    for path, mode in before.items():
        assert mode_of(path) & ~mode == 0, f"{path} was opened up"


def test_the_summary_names_the_first_problem_and_counts_the_others(folder, plan):
    save_plan(plan, saves=2)
    os.chmod(plan, 0o644)
    os.chmod(Store(plan).backups()[0], 0o644)
    line = summary(check_data_file(plan))
    assert str(plan) in line and "\n" not in line
    assert "Also 1 more problem." in line
    assert "kindred doctor" in line


# --- kindred doctor ---------------------------------------------------------------------


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("COLUMNS", "123")
    monkeypatch.setenv("LINES", "45")


def test_doctor_shows_what_a_helper_needs(plan, terminal, capsys):
    save_plan(plan, saves=2)
    assert doctor_command(plan, None) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Kindred {version('kindred')}\n")
    assert f"Data file:     {plan}\n" in out
    assert "exists, 0600, owner you" in out and "1 backup" in out
    assert "readable:    yes" in out
    assert "verdict:     private: only you can read it\n" in out
    assert f"Directory:     {plan.parent}  0700" in out
    assert "Lock holders:  none" in out
    assert "TERM=xterm-256color, colours: 256 (COLORTERM not set), NO_COLOR not set" in out
    assert "size 123x45" in out
    assert f"({len(load_guide().sections)} sections)" in out
    assert f"Python:        {sys.version.split()[0]}" in out
    assert out.endswith("No problems found.\n")


def test_doctor_lists_every_backup_and_every_kept_plan(plan, capsys):
    save_plan(plan, saves=3)
    kept = Store(plan).replace_all(lambda _: {}, keep_previous_as=BEFORE_IMPORT)
    backups = Store(plan).backups()
    assert len(backups) == 2
    assert doctor_command(plan, None) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [
        (line[:15], line[15:]) for line in lines if line.startswith(("Backups:", "Kept", " " * 15))
    ]
    assert listed == [
        (
            "Backups:       " if n == 0 else " " * 15,
            f"{path.name}  0600, {path.stat().st_size:,} bytes",
        )
        for n, path in enumerate(backups)
    ] + [("Kept plans:    ", f"{kept.name}  0600, {kept.stat().st_size:,} bytes")]


def test_doctor_says_when_nothing_is_kept_yet(plan, capsys):
    save_plan(plan)
    doctor_command(plan, None)
    out = capsys.readouterr().out
    assert "Backups:       none yet\n" in out
    assert "Kept plans:    none (each plan replaced by an import" in out


def test_doctor_exits_1_and_says_so_when_there_is_a_problem(plan, capsys):
    save_plan(plan)
    os.chmod(plan, 0o644)
    assert doctor_command(plan, None) == 1
    out = capsys.readouterr().out
    assert "verdict:     needs attention" in out
    assert f"chmod 600 {plan}" in out
    assert out.rstrip().splitlines()[-1] == "Found 1 problem: see above for how to fix them."


def test_doctor_creates_nothing_when_there_is_no_plan(tmp_path, capsys):
    plan = tmp_path / "new" / "kindred.json"
    before = everything_under(tmp_path)
    assert doctor_command(plan, None) == 0
    assert everything_under(tmp_path) == before
    out = capsys.readouterr().out
    assert "does not exist yet" in out


def test_doctor_creates_no_lock_file_next_to_an_existing_plan(plan, capsys):
    put_file(plan, 0o600)
    before = everything_under(plan.parent)
    doctor_command(plan, None)
    assert everything_under(plan.parent) == before


def test_doctor_never_prints_what_the_plan_says(plan, capsys):
    save_plan(plan, saves=2)
    doctor_command(plan, None)
    out = capsys.readouterr().out
    assert SECRET_NAME not in out and SECRET_WORDS not in out


def test_doctor_reports_an_unreadable_plan_without_showing_or_changing_it(plan, capsys):
    broken = f'{{"people": {{"1": {{"name": "{SECRET_NAME}"'
    put_file(plan, 0o600, broken)
    assert doctor_command(plan, None) == 1
    out = capsys.readouterr().out
    assert "readable:    no, it is not valid JSON" in out
    assert f"Kindred cannot open the plan file {plan}" in out
    assert SECRET_NAME not in out
    assert plan.read_text() == broken


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"people": [1, 2]}', "it does not have the layout of a Kindred plan (its part 'people')"),
        ('{"meta": {"1": {"schema": 99}}}', "it was written by a newer version of Kindred"),
        ("", "it is empty"),
    ],
)
def test_doctor_finds_a_problem_wherever_kindred_would_refuse_the_plan(
    plan, capsys, content, problem
):
    put_file(plan, 0o600, content)
    assert main(["export", "--data", str(plan)]) == 1
    capsys.readouterr()
    assert doctor_command(plan, None) == 1
    out = capsys.readouterr().out
    assert f"readable:    no, {problem}" in out
    assert f"Kindred cannot open the plan file {plan}: {problem}" in out
    assert "No problems found" not in out


def test_doctor_names_the_process_holding_the_plan(plan, capsys):
    save_plan(plan)
    with open(plan.with_name("kindred.json.lock"), "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        doctor_command(plan, None)
    out = capsys.readouterr().out
    assert f"Lock holders:  process {os.getpid()} (another Kindred, run by you" in out


def test_doctor_reports_a_bad_guide_directory(plan, tmp_path, capsys):
    missing = tmp_path / "no-guide"
    assert doctor_command(plan, missing) == 1
    out = capsys.readouterr().out
    assert f"Content:       cannot be used: The guide directory {missing} does not exist" in out
    assert "Leave out --content" in out


@pytest.mark.parametrize(
    ("environ", "depth"),
    [
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, "truecolor"),
        ({"TERM": "xterm-256color", "COLORTERM": "24bit"}, "truecolor"),
        ({"TERM": "xterm-256color"}, "256"),
        ({"TERM": "rxvt-16color"}, "16"),
        ({"TERM": "xterm"}, "8"),
        ({"TERM": "dumb"}, "none"),
        ({}, "none"),
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}, "none"),
        ({"TERM": "xterm-256color", "NO_COLOR": ""}, "256"),
    ],
)
def test_colour_depth_follows_term_colorterm_and_no_color(environ, depth):
    assert colour_depth(environ) == depth


# --- plans shared by name (access control lists) ------------------------------------------

ALICE, BOB = 4001, 4002  # ids no account needs to have: the names shown are then the ids

needs_lists = pytest.mark.skipif(
    not acl.supported(Path(tempfile.gettempdir())), reason="no access control lists here"
)


def give(path: Path, uid: int, perm: int) -> None:
    access = acl.access_list(path, os.lstat(path).st_mode)
    acl.set_access_list(path, access.with_user(uid, perm))


def shared_by_name(folder: Path, plan: Path) -> None:
    """As `kindred share` leaves it: alice may read and change, bob may read."""
    save_plan(plan, saves=2)
    give(folder, ALICE, 7)
    give(folder, BOB, 1)
    for path in (plan, plan_file.backups(plan)[0]):
        give(path, os.geteuid(), 6)
        give(path, ALICE, 6)
        give(path, BOB, 4)
    give(plan.with_name("kindred.json.lock"), ALICE, 6)


@needs_lists
def test_a_plan_shared_by_name_through_its_folder_is_fine_and_says_with_whom(folder, plan):
    shared_by_name(folder, plan)
    findings = check_data_file(plan)
    assert severities(findings) == ["ok", "ok"]
    assert f"shared by name with {ALICE} (read and change), {BOB} (read only)" in (
        findings[0].message
    )
    assert f"{folder} is yours, and the plan in it is shared by name with" in findings[1].message


@needs_lists
def test_someone_named_in_a_file_whom_the_folder_does_not_share_with_is_a_problem(folder, plan):
    shared_by_name(folder, plan)
    give(plan, 4003, 4)
    give(plan, BOB, 6)  # bob may only read the plan
    [bob, stranger] = problems(check_data_file(plan))
    assert f"{BOB} can read and change the plan file {plan}" in bob.message
    assert "but the plan is shared for reading only" in bob.message
    assert bob.fix.endswith(f"kindred share --read-only {BOB}")
    assert "4003 can read the plan file" in stranger.message
    assert "but the plan is not shared with them" in stranger.message
    assert stranger.fix.endswith("kindred unshare 4003")


@needs_lists
def test_a_group_given_the_plan_through_its_list_is_a_problem_closed_without_chmod(folder, plan):
    shared_by_name(folder, plan)
    access = acl.access_list(plan, os.lstat(plan).st_mode)
    access.perms[(acl.GROUP_OBJ, acl.NO_ID)] = 4
    access.perms[(acl.GROUP, 4005)] = 4
    acl.set_access_list(plan, access)
    [owning, named] = problems(check_data_file(plan))
    assert f"People in the group {group_of(plan)} can read the plan file" in owning.message
    assert owning.fix.endswith(f"setfacl -m g::- {plan}")  # chmod would close it to alice too
    assert "People in the group 4005 can read" in named.message
    assert named.fix.endswith(f"setfacl -x g:4005 {plan}")


@needs_lists
def test_a_mask_wider_than_anyone_named_needs_is_a_warning(folder, plan):
    shared_by_name(folder, plan)
    access = acl.access_list(plan, os.lstat(plan).st_mode)
    access.perms[(acl.MASK, acl.NO_ID)] = 7
    acl.set_access_list(plan, access)
    [warning] = [finding for finding in check_data_file(plan) if finding.severity == "warning"]
    assert "its mask is rwx, but nobody in it needs more than rw-" in warning.message
    assert warning.fix.endswith(f"setfacl -m m::rw- {plan}")


@needs_lists
@pytest.mark.skipif(shutil.which("setfacl") is None, reason="setfacl is missing")
def test_running_the_fixes_of_a_shared_plan_leaves_it_shared_and_nothing_to_fix(folder, plan):
    shared_by_name(folder, plan)
    access = acl.access_list(plan, os.lstat(plan).st_mode)
    access.perms[(acl.GROUP_OBJ, acl.NO_ID)] = 4
    access.perms[(acl.MASK, acl.NO_ID)] = 7
    acl.set_access_list(plan, access)
    os.chmod(plan, 0o664 | 0o070)
    for fix in [finding.fix for finding in check_data_file(plan) if finding.fix]:
        subprocess.run(fix.split("run: ", 1)[1], shell=True, check=True)
    assert severities(check_data_file(plan)) == ["ok", "ok"]
    assert acl.access_list(plan, os.lstat(plan).st_mode).users()[ALICE] == 6


@needs_lists
def test_a_new_plan_in_a_folder_shared_by_name_will_be_shared_with_those_names(folder, plan):
    give(folder, ALICE, 7)
    acl.set_default_list(folder, acl.Acl.from_mode(0o700).with_user(ALICE, 6))
    [file_finding, _] = check_data_file(plan)
    assert f"will be created, shared by name with {ALICE} (read and change) (0660)" in (
        file_finding.message
    )
