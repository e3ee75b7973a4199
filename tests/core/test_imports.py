"""tui/core and tui/cli work without a screen: importing any of their modules loads neither
Textual nor Rich.

Every module found in the two packages is imported in one fresh Python (this test session
has Textual loaded already), one after the other, noting what each import loaded first.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PACKAGES = ("tui/core", "tui/cli")
UI_LIBRARIES = ("textual", "rich")

PROBE = f"""
import importlib, json, sys
loaded, before = {{}}, set()
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError as error:
        loaded[name] = f"cannot be imported: {{error}}"
        continue
    now = {{m for m in {UI_LIBRARIES!r} if m in sys.modules}}
    loaded[name], before = sorted(now - before), now
print(json.dumps(loaded))
"""


def module_names() -> list[str]:
    """Every module of the packages, found on disk."""
    names = []
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def loaded_by(modules: list[str]) -> dict[str, list[str] | str]:
    """For each module, the UI libraries its import loaded (or why it could not be imported)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


MODULES = module_names()


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str] | str]:
    return loaded_by(MODULES)


def test_both_packages_and_their_modules_are_found():
    assert {"tui.core", "tui.core.store", "tui.cli", "tui.cli.doctor"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_without_textual_or_rich(loaded, module):
    assert loaded[module] == []


def test_the_probe_notices_a_ui_library_and_a_missing_module():
    found = loaded_by(["rich.cells", "tui.core.no_such_module"])
    assert found["rich.cells"] == ["rich"]
    assert found["tui.core.no_such_module"].startswith("cannot be imported")


def test_command_line_parses_arguments_without_textual_or_rich():
    code = (
        "import contextlib, io, sys\n"
        "from tui.cli import build_parser, main\n"
        "build_parser().parse_args(['--content', 'guide', '--no-mouse'])\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--version'])\n"
        f"print(*(m for m in {UI_LIBRARIES!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
