"""`kindred share` and `unshare` refusing, before anything is changed. Sharing between real
accounts is tried in tests/system/test_share_accounts.py."""

import os
import pwd

import pytest

from tui.cli import main
from tui.core import acl


@pytest.fixture
def nobody() -> str:
    try:
        return pwd.getpwuid(65534).pw_name
    except KeyError:
        pytest.skip("no account with uid 65534 here")


def lists_under(folder) -> dict:
    """Every access control list in and above the folder, to see that none changed."""
    found = {}
    for path in [folder, *folder.parents, *folder.iterdir()]:
        found[path] = (
            acl.access_list(path, os.lstat(path).st_mode).perms,
            acl.default_list(path) if path.is_dir() else None,
        )
    return found


@pytest.mark.parametrize(
    ("names", "refusal"),
    [
        (["no-such-account"], "There is no account named 'no-such-account' on this computer."),
        (["no\x1b]0;title\x07one"], "There is no account named 'no␛]0;title␇one'"),
        (["root"], "root is an administrator, who can read every file on this computer already"),
    ],
)
def test_a_name_that_is_not_another_account_is_refused(saved_plan, capsys, names, refusal):
    if names == ["root"] and os.geteuid() == 0:
        pytest.skip("root is the one running the test")
    before = lists_under(saved_plan.parent)
    assert main(["share", *names, "--yes", "--data", str(saved_plan)]) == 1
    error = capsys.readouterr().err
    assert refusal in error and "Nothing was changed." in error
    assert "\x1b" not in error
    assert lists_under(saved_plan.parent) == before


def test_sharing_with_yourself_is_refused(saved_plan, capsys):
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert main(["share", me, "--yes", "--data", str(saved_plan)]) == 1
    assert f"{me} is you." in capsys.readouterr().err


def test_a_plan_not_made_yet_cannot_be_shared(data, nobody, capsys):
    assert main(["share", nobody, "--yes", "--data", str(data)]) == 1
    assert "There is no plan at" in capsys.readouterr().err
    assert not data.parent.exists()


def test_where_lists_are_not_kept_share_shows_the_group_method(
    saved_plan, nobody, capsys, monkeypatch
):
    monkeypatch.setattr(acl, "supported", lambda where: False)
    before = lists_under(saved_plan.parent)
    assert main(["share", nobody, "--yes", "--data", str(saved_plan)]) == 1
    error = capsys.readouterr().err
    assert "keeps no access control lists" in error
    assert f"usermod -aG family {nobody}" in error
    assert "chmod 2770 /srv/family-plan" in error
    assert lists_under(saved_plan.parent) == before


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["share"], "give the account names of the people to share the plan with, or --list"),
        (["share", "--list", "alice"], "share --list takes no names"),
    ],
)
def test_share_needs_names_or_list_but_not_both(arguments, problem, capsys):
    assert main(arguments) == 2
    assert problem in capsys.readouterr().err


def test_unshare_of_someone_it_was_not_shared_with_changes_nothing(saved_plan, nobody, capsys):
    before = lists_under(saved_plan.parent)
    assert main(["unshare", nobody, "--yes", "--data", str(saved_plan)]) == 0
    assert f"is not shared with {nobody}. Nothing to change." in capsys.readouterr().out
    assert lists_under(saved_plan.parent) == before


def test_share_list_of_a_private_plan_names_only_you_and_the_administrators(saved_plan, capsys):
    os.chmod(saved_plan.parent, 0o700)
    assert main(["share", "--list", "--data", str(saved_plan)]) == 0
    out = capsys.readouterr().out
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert f"Read and change:\n  {me} (you)\nRead only:\n  nobody\n" in out
    assert "Administrators:\n  root" in out
    assert "cannot read it" in out
