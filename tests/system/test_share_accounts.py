"""`kindred share` between real accounts on this computer: accounts made for the test with
useradd (and removed after it, whatever happens), each running Kindred as itself."""

import json
import os
import pty
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from pathlib import Path

import pytest

from tui.core import acl

PROJECT = Path(__file__).resolve().parents[2]
TITLE = "Spring plan"

if os.geteuid() != 0:
    pytest.skip("making accounts for the test needs root", allow_module_level=True)
if not shutil.which("useradd") or not shutil.which("runuser"):
    pytest.skip("useradd and runuser are needed to make and be accounts", allow_module_level=True)
if not shutil.which("getfacl"):
    pytest.skip("getfacl is missing (apt-get install acl)", allow_module_level=True)


class Account:
    """One account made for the test, with its home in the test's folder."""

    def __init__(self, name: str, home: Path, python: list[str]):
        self.name = name
        self.home = home
        self.python = python

    def run(self, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
        """Run `kindred ARGS` as this account, from its home."""
        return self.python_code(
            "from tui.cli import main; raise SystemExit(main())", *args, stdin=stdin
        )

    def python_code(self, code: str, *args: str, stdin=subprocess.DEVNULL):
        environment = {
            "HOME": str(self.home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONPATH": os.pathsep.join([str(PROJECT), sysconfig.get_paths()["purelib"]]),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        return subprocess.run(
            [
                "runuser",
                "-u",
                self.name,
                "--",
                "env",
                "-i",
                *(f"{key}={value}" for key, value in environment.items()),
                *self.python,
                "-c",
                code,
                *args,
            ],
            cwd=self.home,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def save(self, plan: Path, person_id: str, name: str) -> subprocess.CompletedProcess:
        """A real edit through the store, in a process of this account."""
        code = (
            "import sys\n"
            "from tui.core.store import Store, StoreError\n"
            "store = Store(sys.argv[1])\n"
            "try:\n"
            "    store.upsert('people', sys.argv[2], {'name': sys.argv[3]})\n"
            "except StoreError as error:\n"
            "    sys.exit(error.message)\n"
        )
        return self.python_code(code, str(plan), person_id, name)

    def edit(
        self, plan: Path, person_id: str, field: str, value: str, *, restore: bool = False
    ) -> subprocess.CompletedProcess:
        """An edit of a person's field through an editing session, as the app makes it, in a
        process of this account; with restore, putting an earlier value back."""
        code = (
            "import sys\n"
            "from tui.core.session import FieldKey, PlanSession\n"
            "from tui.core.store import Store, StoreError\n"
            "session = PlanSession(Store(sys.argv[1]))\n"
            "change = session.restore_field if sys.argv[5] == 'restore' else session.set_field\n"
            "try:\n"
            "    change(FieldKey('people', sys.argv[2], sys.argv[3]), sys.argv[4])\n"
            "except StoreError as error:\n"
            "    sys.exit(error.message)\n"
        )
        how = "restore" if restore else "edit"
        return self.python_code(code, str(plan), person_id, field, value, how)


def python_for_accounts(base: Path, probe_account: str) -> list[str]:
    """A Python the test accounts may run that imports this checkout (this one, unless it
    lies in a private folder, as under /root); skip the test if there is none."""
    for candidate in (os.path.realpath(sys.executable), "/usr/bin/python3"):
        check = subprocess.run(
            [
                "runuser",
                "-u",
                probe_account,
                "--",
                "env",
                "-i",
                f"PYTHONPATH={PROJECT}{os.pathsep}{sysconfig.get_paths()['purelib']}",
                candidate,
                "-c",
                "import tui.cli, tinydb",
            ],
            cwd=base,
            capture_output=True,
            check=False,
        )
        if check.returncode == 0:
            return [candidate]
    pytest.skip(f"the test accounts can run no Python that reads {PROJECT}")


@pytest.fixture
def people():
    """Accounts owner, alice, bob, carol and eve (whom nothing is shared with), with homes
    in a folder of the test's own; all removed afterwards, even when the test fails."""
    base = Path(tempfile.mkdtemp(prefix="kindred-share-"))
    os.chmod(base, 0o755)  # like /home: everyone may pass through to their own home
    prefix = f"k{uuid.uuid4().hex[:6]}"
    made: list[str] = []
    try:
        if not acl.supported(base):
            pytest.skip("the file system under the temporary folder keeps no lists")
        accounts = {}
        for role in ("owner", "alice", "bob", "carol", "eve"):
            name = f"{prefix}{role}"
            home = base / role
            subprocess.run(
                ["useradd", "-M", "-d", str(home), "-s", "/bin/sh", name],
                check=True,
                capture_output=True,
            )
            made.append(name)
            home.mkdir(mode=0o700)
            shutil.chown(home, name, name)
            accounts[role] = name
        python = python_for_accounts(base, made[0])
        yield {role: Account(name, base / role, python) for role, name in accounts.items()}
    finally:
        for name in made:
            subprocess.run(["userdel", name], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def plan(people, sample_document) -> Path:
    """The owner's plan, made by `kindred import` as the owner, in the default place."""
    owner = people["owner"]
    document = owner.home / "plan.json"
    document.write_text(json.dumps(sample_document), encoding="utf-8")
    shutil.chown(document, owner.name)
    path = owner.home / ".local" / "share" / "kindred" / "kindred.json"
    result = owner.run("import", str(document), "--data", str(path))
    assert result.returncode == 0, result.stderr
    return path


def names_in_list(path: Path) -> set[str]:
    """The account names getfacl (the acl package's own tool) finds in a file's list."""
    lines = subprocess.run(
        ["getfacl", "--omit-header", "--", str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return {line.split(":")[1] for line in lines if line.startswith("user:") and line.split(":")[1]}


def share(owner: Account, plan: Path, *args: str) -> subprocess.CompletedProcess:
    result = owner.run("share", *args, "--yes", "--data", str(plan))
    assert result.returncode == 0, result.stderr
    return result


def exported_names(account: Account, plan: Path) -> list[str]:
    result = account.run("export", "--format", "json", "--data", str(plan))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing to warn about: only the people named can see it
    return [person["name"] for person in json.loads(result.stdout)["plan"]["people"]]


def test_two_people_shared_with_read_and_edit_the_plan_and_a_third_cannot(people, plan):
    owner, alice, bob, eve = people["owner"], people["alice"], people["bob"], people["eve"]
    result = share(owner, plan, alice.name, bob.name)
    assert f"kindred --data {plan}\n" in result.stdout
    assert f"{alice.name} and {bob.name}" in result.stdout

    assert exported_names(alice, plan) == ["Bob", "Anna"]
    saved = alice.save(plan, "alice-1", "Added by Alice")
    assert saved.returncode == 0, saved.stderr
    saved = bob.save(plan, "bob-1", "Added by Bob")
    assert saved.returncode == 0, saved.stderr
    assert "Added by Alice" in exported_names(bob, plan)
    assert {"Added by Alice", "Added by Bob"} <= set(exported_names(owner, plan))

    # Bob's save made the plan file his; everyone keeps their access, and nobody else has any.
    assert plan.stat().st_uid != os.stat(owner.home).st_uid
    assert names_in_list(plan) == {owner.name, alice.name, bob.name}
    refused = eve.run("export", "--data", str(plan))
    assert refused.returncode == 1
    assert "not allowed" in refused.stderr and TITLE not in refused.stdout
    peek = eve.python_code(f"open({str(plan)!r}).read()")
    assert "PermissionError" in peek.stderr


def test_the_history_names_each_account_that_changed_the_plan(people, plan):
    owner, alice, bob = people["owner"], people["alice"], people["bob"]
    share(owner, plan, alice.name, bob.name)
    for account, field, value in [
        (alice, "relationship", "older sister"),
        (bob, "name", "Annie"),
        (bob, "relationship", "sister"),
    ]:
        edited = account.edit(plan, "anna", field, value)
        assert edited.returncode == 0, edited.stderr
    restored = alice.edit(plan, "anna", "relationship", "older sister", restore=True)
    assert restored.returncode == 0, restored.stderr

    exported = owner.run("export", "--format", "json", "--data", str(plan))
    assert exported.returncode == 0, exported.stderr
    changes = json.loads(exported.stdout)["plan"]["changes"]
    made_here = [
        (change["who"], change["kind"], change["field"], change["after"])
        for change in changes
        if change["kind"] != "import"
    ]
    assert made_here == [
        (alice.name, "edit", "relationship", "older sister"),
        (bob.name, "edit", "name", "Annie"),
        (bob.name, "edit", "relationship", "sister"),
        (alice.name, "restore", "relationship", "older sister"),
    ]
    assert changes[0] == {**changes[0], "who": owner.name, "kind": "import"}
    markdown = owner.run("export", "--data", str(plan)).stdout
    assert f"{alice.name}: People (Annie), Relationship" in markdown.split("## Last changes")[1]


def test_the_owner_sees_by_name_who_can_read_it_and_nothing_to_fix(people, plan):
    owner, alice, carol = people["owner"], people["alice"], people["carol"]
    share(owner, plan, alice.name)
    share(owner, plan, "--read-only", carol.name)
    assert alice.save(plan, "alice-1", "Added by Alice").returncode == 0

    doctor = owner.run("doctor", "--data", str(plan))
    assert doctor.returncode == 0, doctor.stdout
    assert "No problems found." in doctor.stdout
    assert f"{alice.name}: shared by name (read and change)" in doctor.stdout
    assert f"{carol.name}: shared by name (read only)" in doctor.stdout
    assert "root: an administrator" in doctor.stdout
    assert people["eve"].name not in doctor.stdout

    listed = owner.run("share", "--list", "--data", str(plan))
    assert listed.returncode == 0, listed.stderr
    read_and_change, read_only = listed.stdout.split("Read only:")
    assert f"{owner.name} (you)" in read_and_change and alice.name in read_and_change
    assert carol.name in read_only.split("Administrators:")[0]
    assert "Others (everyone else with an account):\n  cannot read it" in listed.stdout


def test_unshare_takes_the_plan_away_again_and_the_others_keep_it(people, plan):
    owner, alice, bob = people["owner"], people["alice"], people["bob"]
    share(owner, plan, alice.name, bob.name)
    assert bob.save(plan, "bob-1", "Added by Bob").returncode == 0  # the plan file is bob's

    result = owner.run("unshare", bob.name, "--yes", "--data", str(plan))
    assert result.returncode == 0, result.stderr
    assert "replaces it with a copy of your own" in result.stdout
    assert bob.run("export", "--data", str(plan)).returncode == 1
    for folder in [plan.parent, *plan.parent.parents]:
        if folder == owner.home.parent:
            break
        assert bob.name not in names_in_list(folder)
    assert plan.stat().st_uid == os.stat(owner.home).st_uid
    assert alice.save(plan, "alice-1", "Added by Alice").returncode == 0
    assert "Added by Bob" in exported_names(alice, plan)


def test_shared_read_only_one_can_export_but_not_save(people, plan):
    owner, carol = people["owner"], people["carol"]
    share(owner, plan, "--read-only", carol.name)
    assert exported_names(carol, plan) == ["Bob", "Anna"]
    refused = carol.save(plan, "carol-1", "Added by Carol")
    assert refused.returncode == 1
    assert "You may read this plan but not change it" in refused.stderr
    assert "Added by Carol" not in exported_names(owner, plan)


def test_a_name_with_no_account_is_refused_and_nothing_changes(people, plan):
    owner = people["owner"]
    before = {path: names_in_list(path) for path in (plan, plan.parent, owner.home)}
    result = owner.run("share", "nosuchaccount", people["alice"].name, "--yes", "--data", str(plan))
    assert result.returncode == 1
    assert "There is no account named 'nosuchaccount' on this computer." in result.stderr
    assert {path: names_in_list(path) for path in before} == before


def test_without_a_terminal_share_asks_for_yes_and_changes_nothing(people, plan):
    owner, alice = people["owner"], people["alice"]
    result = owner.run("share", alice.name, "--data", str(plan))
    assert result.returncode == 1
    assert f"{plan}  (the plan file)" in result.stdout  # what it would have changed
    assert "Run it again with --yes" in result.stderr
    assert alice.name not in names_in_list(plan.parent)


@pytest.mark.parametrize(("answer", "shared"), [("y\n", True), ("\n", False)])
def test_on_a_terminal_share_goes_ahead_only_on_yes(people, plan, answer, shared):
    owner, alice = people["owner"], people["alice"]
    leader, follower = pty.openpty()
    os.write(leader, answer.encode())
    try:
        result = owner.run("share", alice.name, "--data", str(plan), stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert (result.returncode == 0) is shared, result.stderr
    assert (alice.name in names_in_list(plan.parent)) is shared
