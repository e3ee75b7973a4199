"""The kindred command as a separate process, as a user runs it from a shell: what it prints,
how it exits, and what it has to import."""

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from children import start_python

from tui.core.store import Store

PROJECT = Path(__file__).resolve().parents[2]


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# export and import


def test_a_real_export_prints_json_and_exits_0(saved_plan, run_kindred):
    result = run_kindred("export", "--format", "json", "--data", str(saved_plan))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plan"]["title"] == "Spring plan"
    assert result.stderr == ""


# Each of these takes milliseconds to import, and export and import need none of them
# (the Markdown export reads rehearsal dates, so it needs tui.core.rehearsal and what it imports,
# and the country's phone numbers, from the guide's country files).
NOT_NEEDED_BY_EXPORT_OR_IMPORT = (
    "textual",
    "rich",
    "markdown_it",
    "tinydb",
    "platformdirs",
    "tui.core.guide",
    "tui.core.rehearsal",
    "tui.core.session",
    "dataclasses",
    "typing",
)


@pytest.mark.parametrize("command", ["export --format json", "export", "import"])
def test_export_and_import_load_nothing_they_do_not_need(
    saved_plan, tmp_path, sample_document, command
):
    if command == "import":
        document = write_json(tmp_path / "plan.json", sample_document)
        arguments = ["import", str(document), "--data", str(tmp_path / "new" / "kindred.json")]
    else:
        arguments = [*command.split(), "-o", str(tmp_path / "out"), "--data", str(saved_plan)]
    probe = (
        "import io, sys\n"
        "from tui.cli import main\n"
        "sys.stderr = io.StringIO()\n"
        f"status = main({arguments!r})\n"
        "sys.stderr = sys.__stderr__\n"
        "assert status == 0\n"
        f"print(*(name for name in {NOT_NEEDED_BY_EXPORT_OR_IMPORT!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for_markdown = ["tui.core.rehearsal", "dataclasses", "typing", "tui.core.guide"]
    allowed = for_markdown if command == "export" else []
    assert [name for name in result.stdout.split() if name not in allowed] == []


def test_a_real_failed_import_exits_1_with_one_line_and_no_traceback(data, tmp_path, run_kindred):
    plan_file = write_json(tmp_path / "plan.json", {"format": "kindred-plan", "version": 1})
    result = run_kindred("import", str(plan_file), "--data", str(data))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"kindred: Cannot import {plan_file}: plan: Missing. Nothing was changed.\n"
    )
    assert result.stdout == ""
    assert not data.parent.exists()


# A kindred command that, when it is about to wait for the plan's exclusive lock, first makes
# the file named by its first argument: the test knows it has got that far.
SAYS_WHEN_IT_WAITS_TO_CHANGE = """
import sys
from pathlib import Path
from tui.core import file_lock
from tui.cli import main

take_lock = file_lock.lock

def lock(fd, *, exclusive, wait_seconds):
    if exclusive:
        Path(sys.argv[1]).touch()
    take_lock(fd, exclusive=exclusive, wait_seconds=wait_seconds)

file_lock.lock = lock
sys.exit(main(sys.argv[2:]))
"""


def test_of_two_imports_into_an_empty_plan_at_once_the_second_is_refused(
    data, tmp_path, sample_document
):
    Store(data).read()  # makes the folder and the lock file, and nothing else
    documents = []
    for title in ("First plan", "Second plan"):
        sample_document["plan"]["title"] = title
        documents.append(write_json(tmp_path / f"{title}.json", sample_document))
    lock = os.open(data.with_name("kindred.json.lock"), os.O_RDONLY)
    try:
        # Held shared, the lock lets both commands look at the plan, but neither change it
        # until both are waiting to.
        fcntl.flock(lock, fcntl.LOCK_SH)
        waiting = [tmp_path / f"waiting-{n}" for n in range(2)]
        imports = [
            start_python(
                "-c",
                SAYS_WHEN_IT_WAITS_TO_CHANGE,
                flag,
                "import",
                str(document),
                "--data",
                str(data),
                cwd=PROJECT,
            )
            for flag, document in zip(waiting, documents, strict=True)
        ]
        deadline = time.monotonic() + 30
        while not all(flag.exists() for flag in waiting) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.close(lock)
    outcomes = {}
    for title, child in zip(("First plan", "Second plan"), imports, strict=True):
        _, err = child.communicate(timeout=30)
        outcomes[title] = (child.returncode, err)
    assert sorted(status for status, _ in outcomes.values()) == [0, 1], outcomes
    imported = next(title for title, (status, _) in outcomes.items() if status == 0)
    refused = next(err for status, err in outcomes.values() if status == 1)
    assert Store(data).read()["plan"][0]["title"] == imported
    assert refused.startswith(f"kindred: There is already a plan in {data}. To replace it")
    assert "--replace" in refused
    assert "Traceback" not in refused


# doctor


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    return folder / "kindred.json"


def test_a_real_doctor_run_exits_0_without_a_traceback(plan, run_kindred):
    Store(plan).insert("people", {"id": "p1", "name": "Anna"})
    result = run_kindred("doctor", "--data", str(plan))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"Data file:     {plan}" in result.stdout
    assert result.stdout.endswith("No problems found.\n")


def test_a_real_doctor_run_with_a_bad_guide_reports_it(plan, tmp_path, run_kindred):
    missing = tmp_path / "no-guide"
    result = run_kindred("--content", str(missing), "doctor", "--data", str(plan))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"The guide directory {missing} does not exist" in result.stdout


# the guide


def test_loading_the_guide_from_the_cache_does_not_load_the_markdown_parser(tmp_path):
    cache = tmp_path / "guide.json"
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tui.core.guide import load_guide\n"
        "guide = load_guide(cache_path=Path(sys.argv[1]))\n"
        "assert all(section.blocks for section in guide.sections)\n"
        "print('markdown_it' in sys.modules)\n"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(cache)], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert run() == "True"  # the first start parses the guide and writes the cache
    assert run() == "False"
