"""The core modules work without a screen: importing them must not load Textual or Rich.

Each check runs in a fresh Python, since this test session has Textual loaded already.
Modules not written yet are listed too, so they are checked as soon as they exist.
"""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

CORE_MODULES = [
    "tui.guide",
    "tui.countries",
    "tui.safe_text",
    "tui.private_file",
    "tui.plan",
    "tui.store",
    "tui.rehearsal",
    "tui.coach",
    "tui.export",
    "tui.session",
    "tui.doctor",
    "tui.cli",
]
ALWAYS_PRESENT = {
    "tui.guide",
    "tui.countries",
    "tui.safe_text",
    "tui.private_file",
    "tui.plan",
    "tui.store",
    "tui.rehearsal",
    "tui.coach",
    "tui.session",
    "tui.cli",
}
MISSING = "MODULE-DOES-NOT-EXIST"

PROBE = """
import importlib, importlib.util, sys
name = sys.argv[1]
if importlib.util.find_spec(name) is None:
    print({missing!r})
    raise SystemExit(0)
importlib.import_module(name)
{then}
print(*sorted(m for m in ("textual", "rich") if m in sys.modules))
"""


def ui_libraries_loaded(module: str, then: str = "") -> str:
    """Import module in a fresh Python, run `then`, and say which of textual and rich loaded."""
    code = PROBE.format(missing=MISSING, then=then)
    result = subprocess.run(
        [sys.executable, "-c", code, module],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_probe_notices_textual():
    assert ui_libraries_loaded("textual.app") == "rich textual"


def test_the_probe_notices_a_missing_module():
    assert ui_libraries_loaded("tui.no_such_module") == MISSING


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_without_textual_or_rich(module):
    loaded = ui_libraries_loaded(module)
    if loaded == MISSING:
        assert module not in ALWAYS_PRESENT
        pytest.skip(f"{module} does not exist yet")
    assert loaded == ""


def test_command_line_parses_arguments_without_textual_or_rich():
    then = (
        "import contextlib, io\n"
        "from tui.cli import build_parser, main\n"
        "build_parser().parse_args(['--content', 'guide', '--no-mouse'])\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--version'])\n"
    )
    assert ui_libraries_loaded("tui.cli", then) == ""
