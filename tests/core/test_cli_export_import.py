"""`kindred export` and `kindred import`, as a user runs them."""

import gc
import json
import os
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from tui.cli import main
from tui.core.interchange import plan_json
from tui.core.plan_file import SCHEMA_VERSION
from tui.core.private_file import NotAnOrdinaryFile, write_private_file
from tui.core.store import Store

OTHER_PLAN = {
    "format": "kindred-plan",
    "version": 1,
    "plan": {"title": "Autumn plan", "people": []},
}


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def exported_json(data: Path, capsys) -> dict:
    assert main(["export", "--format", "json", "--data", str(data)]) == 0
    return json.loads(capsys.readouterr().out)


# Export


def test_export_prints_the_plan_as_markdown(saved_plan, capsys):
    capsys.readouterr()
    assert main(["export", "--data", str(saved_plan)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Spring plan\n\n## Country: United States\n\n")
    assert "\n\n## People, in speaking order\n\n### 1. Bob\n" in out
    assert "I love you.\n\nPlease come with us today." in out
    assert "- [x] Intake booked" in out
    assert err == ""


def test_export_prints_the_plan_as_json(saved_plan, sample_document, capsys):
    capsys.readouterr()
    document = exported_json(saved_plan, capsys)
    assert document["format"] == "kindred-plan"
    assert document["plan"]["title"] == "Spring plan"
    assert [person["name"] for person in document["plan"]["people"]] == ["Bob", "Anna"]
    anna = sample_document["plan"]["people"][0]
    assert document["plan"]["people"][1]["attempts"] == anna["attempts"]


def test_export_without_a_plan_file_prints_an_empty_plan_and_makes_no_file(data, capsys):
    assert main(["export", "--data", str(data)]) == 0
    assert capsys.readouterr().out.startswith("# Intervention plan\n")
    assert not data.parent.exists()


def test_export_of_an_unreadable_plan_file_says_why_and_leaves_it(data, capsys):
    data.parent.mkdir()
    data.write_bytes(b"{not json")
    assert main(["export", "--data", str(data)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"kindred: The plan file {data} is not valid JSON (line 1, column 2)")
    assert data.read_bytes() == b"{not json"


def test_export_to_a_file_writes_it_privately(saved_plan, tmp_path, capsys, umask_022):
    capsys.readouterr()
    target = tmp_path / "out" / "plan.json"
    target.parent.mkdir()
    assert main(["export", "--format", "json", "-o", str(target), "--data", str(saved_plan)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert str(target) in err
    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8") == plan_json(Store(saved_plan).read())
    assert os.listdir(target.parent) == ["plan.json"]  # no temporary file left behind


def test_export_over_an_open_file_makes_it_private(saved_plan, tmp_path, umask_022):
    target = tmp_path / "plan.md"
    target.write_text("old")
    os.chmod(target, 0o644)
    assert main(["export", "-o", str(target), "--data", str(saved_plan)]) == 0
    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# Spring plan\n")


def test_export_refuses_to_write_through_a_symbolic_link(saved_plan, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours")
    link = tmp_path / "plan.md"
    link.symlink_to(elsewhere)
    capsys.readouterr()
    assert main(["export", "-o", str(link), "--data", str(saved_plan)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kindred: {link} is a symbolic link")
    assert elsewhere.read_text() == "not yours"
    assert link.is_symlink()


def test_export_refuses_to_overwrite_the_plan_file_itself(saved_plan, capsys):
    before = saved_plan.read_bytes()
    capsys.readouterr()
    assert main(["export", "-o", str(saved_plan), "--data", str(saved_plan)]) == 1
    assert "is the plan file itself" in capsys.readouterr().err
    assert saved_plan.read_bytes() == before


def special_files(folder: Path) -> dict[str, Path]:
    """A named pipe and, where this user may make one, a device node like /dev/null."""
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    found = {"named pipe": fifo}
    device = folder / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        return found
    return {**found, "device": device}


def test_export_writes_only_to_an_ordinary_file_or_a_new_name(saved_plan, tmp_path, capsys):
    for kind, target in special_files(tmp_path).items():
        before = os.lstat(target)
        capsys.readouterr()
        assert main(["export", "-o", str(target), "--data", str(saved_plan)]) == 1, kind
        assert capsys.readouterr().err == (
            f"kindred: {target} is not an ordinary file, and Kindred writes the plan only to "
            "an ordinary file or a new name. Nothing was written.\n"
        )
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode, after.st_rdev) == (
            before.st_ino,
            before.st_mode,
            before.st_rdev,
        )


def test_a_private_file_never_replaces_anything_but_an_ordinary_file(tmp_path):
    made = special_files(tmp_path)
    for target in made.values():
        with pytest.raises(NotAnOrdinaryFile):
            write_private_file(target, b"plan")
        assert not stat.S_ISREG(os.lstat(target).st_mode)
    assert sorted(os.listdir(tmp_path)) == sorted(path.name for path in made.values())


def test_export_refuses_the_plan_files_own_name_before_there_is_a_plan(data, capsys):
    data.parent.mkdir()
    assert main(["export", "-o", str(data), "--data", str(data)]) == 1
    assert "is the plan file itself" in capsys.readouterr().err
    assert not data.exists()


def test_export_into_a_missing_folder_says_so(saved_plan, tmp_path, capsys):
    target = tmp_path / "no such folder" / "plan.md"
    capsys.readouterr()
    assert main(["export", "-o", str(target), "--data", str(saved_plan)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"kindred: Could not write {target}: the folder {target.parent} does not exist. "
        "Nothing was written.\n"
    )


# Import


def test_export_of_a_plan_others_can_read_warns_on_stderr_and_still_exports(saved_plan, capsys):
    os.chmod(saved_plan, 0o644)
    assert main(["export", "--data", str(saved_plan)]) == 0
    out, err = capsys.readouterr()
    assert "# Spring plan" in out
    assert err.startswith(
        f"kindred: warning: Anyone with an account on this computer can read "
        f"the plan file {saved_plan}"
    )
    assert "Run 'kindred doctor' to see how to fix it." in err
    assert mode(saved_plan) == 0o644  # never changed


def test_import_into_a_folder_others_can_look_into_warns_and_still_imports(data, tmp_path, capsys):
    data.parent.mkdir()
    os.chmod(data.parent, 0o755)
    assert (
        main(["import", str(write_json(tmp_path / "p.json", OTHER_PLAN)), "--data", str(data)]) == 0
    )
    err = capsys.readouterr().err
    assert "kindred: warning: People other than you can look into the folder" in err
    assert err.rstrip().endswith('Imported the plan "Autumn plan": 0 people, 0 treatment options.')
    assert exported_json(data, capsys)["plan"]["title"] == "Autumn plan"


def test_export_and_import_of_a_private_plan_warn_of_nothing(saved_plan, tmp_path, capsys):
    assert main(["export", "--data", str(saved_plan)]) == 0
    assert capsys.readouterr().err == ""
    document = write_json(tmp_path / "p.json", OTHER_PLAN)
    assert main(["import", str(document), "--replace", "--data", str(saved_plan)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_import_into_a_new_plan_file_needs_no_flag(data, tmp_path, sample_document, capsys):
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 0
    err = capsys.readouterr().err
    assert err == 'Imported the plan "Spring plan": 2 people, 1 treatment option.\n'
    assert mode(data) == 0o600
    exported = exported_json(data, capsys)
    assert exported["plan"]["people"][0]["statement"] == "You were always there for me."


def test_import_into_an_empty_plan_file_needs_no_flag(data, tmp_path, sample_document, capsys):
    Store(data).replace_all(lambda _: {"people": [], "plan": [{"id": "plan", "title": ""}]})
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 0
    assert exported_json(data, capsys)["plan"]["title"] == "Spring plan"


def test_import_over_a_plan_is_refused_without_replace(saved_plan, tmp_path, capsys):
    before = saved_plan.read_bytes()
    plan_file = write_json(tmp_path / "other.json", OTHER_PLAN)
    capsys.readouterr()
    assert main(["import", str(plan_file), "--data", str(saved_plan)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kindred: There is already a plan in {saved_plan}.")
    assert "--replace" in err and "kept beside it until you remove it" in err
    assert saved_plan.read_bytes() == before


def test_even_a_title_alone_counts_as_a_plan(data, tmp_path, sample_document, capsys):
    Store(data).replace_all(lambda _: {"plan": [{"id": "plan", "title": "Draft"}]})
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 1
    assert "--replace" in capsys.readouterr().err


def test_a_plan_holding_only_a_country_is_replaced_without_asking(
    data, tmp_path, sample_document, capsys
):
    Store(data).replace_all(lambda _: {"plan": [{"id": "plan", "country": "GB"}]})  # first start
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 0
    assert exported_json(data, capsys)["plan"]["title"] == "Spring plan"


@pytest.mark.parametrize(
    ("locale", "country"), [("en_GB.UTF-8", "GB"), ("de_DE.UTF-8", "other"), ("C.UTF-8", "")]
)
def test_an_imported_plan_without_a_country_takes_the_locales(
    data, tmp_path, sample_document, capsys, monkeypatch, locale, country
):
    monkeypatch.setenv("LANG", locale)
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 0
    assert exported_json(data, capsys)["plan"]["country"] == country


def test_an_imported_plan_keeps_its_own_country(data, tmp_path, sample_document, capsys):
    sample_document["plan"]["country"] = "IE"
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 0
    assert exported_json(data, capsys)["plan"]["country"] == "IE"


def test_an_unknown_country_is_refused_naming_the_field(data, tmp_path, sample_document, capsys):
    sample_document["plan"]["country"] = "UK"
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"kindred: Cannot import {plan_file}: plan.country: Country must be one of: "
        "US, CA, GB, IE, AU, other. Nothing was changed.\n"
    )
    assert not data.exists()


def test_import_with_replace_keeps_the_plan_before_it_until_it_is_removed(
    saved_plan, tmp_path, capsys
):
    before = saved_plan.read_bytes()
    plan_file = write_json(tmp_path / "other.json", OTHER_PLAN)
    capsys.readouterr()
    assert main(["import", str(plan_file), "--replace", "--data", str(saved_plan)]) == 0
    [kept] = saved_plan.parent.glob("kindred.json.before-import-*")
    assert re.fullmatch(r"kindred\.json\.before-import-\d{4}-\d\d-\d\dT\d{6}", kept.name)
    assert capsys.readouterr().err == (
        'Imported the plan "Autumn plan": 0 people, 0 treatment options. '
        f"The plan it replaced is kept, until you remove it, in {kept}.\n"
    )
    plan = exported_json(saved_plan, capsys)["plan"]
    assert (plan["title"], plan["people"]) == ("Autumn plan", [])
    assert kept.read_bytes() == before
    assert mode(kept) == 0o600

    # Weeks of typing later, it is still there.
    now = datetime.now()
    store = Store(saved_plan, clock=lambda: now)
    for _ in range(30):
        now += timedelta(days=1)
        for title in ("Autumn", "Autumn plan"):
            store.upsert("plan", "plan", {"title": title})
    assert kept.read_bytes() == before


def test_import_into_an_unreadable_plan_file_leaves_it_alone(
    data, tmp_path, sample_document, capsys
):
    data.parent.mkdir()
    data.write_bytes(b"\x00garbled")
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--replace", "--data", str(data)]) == 1
    assert capsys.readouterr().err.startswith(f"kindred: The plan file {data} is not valid JSON")
    assert data.read_bytes() == b"\x00garbled"


def test_import_into_a_read_only_plan_file_leaves_it_alone(saved_plan, tmp_path, capsys):
    os.chmod(saved_plan, 0o400)
    before = saved_plan.read_bytes()
    other = write_json(tmp_path / "other.json", OTHER_PLAN)
    capsys.readouterr()
    assert main(["import", str(other), "--replace", "--data", str(saved_plan)]) == 1
    assert capsys.readouterr().err.startswith(
        f"kindred: The plan file {saved_plan} is read-only (mode 0400), so Kindred does not "
        "change it."
    )
    assert saved_plan.read_bytes() == before
    assert mode(saved_plan) == 0o400


def test_import_keeps_parts_of_the_file_that_are_not_the_plan(saved_plan, tmp_path):
    Store(saved_plan).insert("settings", {"id": "theme", "value": "dark"})
    plan_file = write_json(tmp_path / "other.json", OTHER_PLAN)
    assert main(["import", str(plan_file), "--replace", "--data", str(saved_plan)]) == 0
    assert Store(saved_plan).read()["settings"] == [{"id": "theme", "value": "dark"}]


def test_an_invalid_plan_is_refused_naming_the_field(data, tmp_path, sample_document, capsys):
    sample_document["plan"]["people"][1]["target_seconds"] = 90.5
    plan_file = write_json(tmp_path / "plan.json", sample_document)
    assert main(["import", str(plan_file), "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"kindred: Cannot import {plan_file}: plan.people[1].target_seconds: "
        "Target length must be a whole number. Nothing was changed.\n"
    )
    assert not data.parent.exists()  # not even the folder for a plan file


def test_an_invalid_plan_leaves_the_plan_file_as_it_was(saved_plan, tmp_path, capsys):
    before = saved_plan.read_bytes()
    plan_file = write_json(tmp_path / "plan.json", {**OTHER_PLAN, "version": 7})
    capsys.readouterr()
    assert main(["import", str(plan_file), "--replace", "--data", str(saved_plan)]) == 1
    assert "newer version of Kindred" in capsys.readouterr().err
    assert saved_plan.read_bytes() == before
    assert sorted(os.listdir(saved_plan.parent)) == ["kindred.json", "kindred.json.lock"]


UNREADABLE = [
    # (what the file holds, or None for no file; the reason given)
    (None, "there is no such file."),
    (b'{"format": "kindred-plan",\n "version": 1,,}', "it is not valid JSON (line 2, column 15"),
    (b"", "it is not valid JSON (line 1, column 1"),
    ('{"title": "Caf\u00e9"}'.encode("latin-1"), "it is not readable text (it is not UTF-8)."),
    (b'{"version": NaN}', "it is not valid JSON."),
    (b"[" * 100_000, "it is not valid JSON"),
]


@pytest.mark.parametrize(("content", "reason"), UNREADABLE, ids=[r for _, r in UNREADABLE])
def test_a_file_that_cannot_be_read_is_refused(data, tmp_path, capsys, content, reason):
    plan_file = tmp_path / "plan.json"
    if content is not None:
        plan_file.write_bytes(content)
    assert main(["import", str(plan_file), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kindred: Cannot import {plan_file}: {reason}")
    assert err.endswith("Nothing was changed.\n")
    assert not data.parent.exists()


def test_a_folder_is_not_a_plan(data, tmp_path, capsys):
    assert main(["import", str(tmp_path), "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"kindred: Cannot import {tmp_path}: it is a folder, not a file. Nothing was changed.\n"
    )


def test_a_huge_file_is_refused(data, tmp_path, capsys):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as file:
        file.truncate(51 * 1024 * 1024)  # sparse: takes no room on disk
    assert main(["import", str(huge), "--data", str(data)]) == 1
    assert "larger than 50 MB, too large to be a plan" in capsys.readouterr().err


def test_a_plan_file_with_a_byte_order_mark_is_read(data, tmp_path, sample_document, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_document).encode())
    assert main(["import", str(plan_file), "--data", str(data)]) == 0


def test_export_then_import_then_export_gives_the_same_file(saved_plan, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    copy = tmp_path / "copy" / "kindred.json"
    assert main(["export", "--format", "json", "-o", str(first), "--data", str(saved_plan)]) == 0
    assert main(["import", str(first), "--data", str(copy)]) == 0
    assert main(["export", "--format", "json", "-o", str(second), "--data", str(copy)]) == 0
    document = json.loads(second.read_bytes())
    assert document["plan"]["changes"].pop()["kind"] == "import"  # the import is noted
    assert (json.dumps(document) + "\n").encode() == first.read_bytes()
    assert json.loads(first.read_text())["plan"]["people"][0]["id"] == "bob"


# The plan file is TinyDB's


def test_an_imported_plan_opens_in_tinydb(saved_plan, sample_document):
    tables = Store(saved_plan).read()
    with TinyDB(saved_plan, access_mode="r", encoding="utf-8") as database:
        assert database.tables() == {"meta", *tables}
        for name, docs in tables.items():
            assert database.table(name).all() == docs
        names = [person["name"] for person in database.table("people").all()]
        seconds = [attempt["seconds"] for attempt in database.table("attempts").all()]
    people = sample_document["plan"]["people"]
    assert sorted(names) == sorted(person["name"] for person in people)
    assert sorted(seconds) == sorted(
        attempt["seconds"] for person in people for attempt in person.get("attempts", [])
    )


def test_a_plan_file_written_by_tinydb_itself_exports_as_the_same_plan(
    saved_plan, tmp_path, capsys
):
    written = tmp_path / "by-tinydb" / "kindred.json"
    written.parent.mkdir(mode=0o700)
    with TinyDB(written, encoding="utf-8") as database:
        database.table("meta").insert({"schema": SCHEMA_VERSION})
        for name, docs in Store(saved_plan).read().items():
            database.table(name).insert_multiple(docs)
    written.chmod(0o600)
    capsys.readouterr()
    assert exported_json(written, capsys) == exported_json(saved_plan, capsys)
    people = exported_json(written, capsys)["plan"]["people"]
    assert [person["name"] for person in people] == ["Bob", "Anna"]  # in speaking order


def test_garbage_collection_is_back_on_after_a_command_even_a_refused_one(saved_plan, capsys):
    # The command line holds the collector off while it works; a program that calls it
    # must get it back, whatever happened.
    assert main(["export", "--data", str(saved_plan)]) == 0
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["export", "--format", "yaml", "--data", str(saved_plan)])
    assert gc.isenabled()
