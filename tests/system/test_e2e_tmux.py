"""The installed `kindred` command in a real terminal (tmux, 80x24), driven by its keys."""

import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
KINDRED = Path(sys.executable).with_name("kindred")
WAIT_SECONDS = 20.0
EXIT_SECONDS = 5.0  # a healthy app ends well within this once its plan is saved

pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end tests drive kindred inside tmux"
)


class Terminal:
    """One tmux server of our own (private socket, no config) showing one program at 80x24."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.app_pids: list[int] = []
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self.env.setdefault("TERM", "xterm-256color")

    def tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [TMUX, "-S", str(self.socket), "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=WAIT_SECONDS,
        )

    def start(self, *args: object) -> None:
        command = "exec " + shlex.join([str(KINDRED), *map(str, args)])
        started = self.tmux("new-session", "-d", "-s", "kindred", "-x", "80", "-y", "24", command)
        assert started.returncode == 0, started.stderr

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "kindred").stdout

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while text not in (shown := self.screen()):
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} did not appear within {WAIT_SECONDS:g} s:\n{shown}")
            time.sleep(0.05)

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "kindred", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "kindred", "-l", text)

    def app_pid(self) -> int:
        pid = int(self.tmux("list-panes", "-t", "kindred", "-F", "#{pane_pid}").stdout)
        assert "kindred" in Path(f"/proc/{pid}/cmdline").read_text()
        self.app_pids.append(pid)
        return pid

    def running(self) -> bool:
        return self.tmux("has-session", "-t", "kindred").returncode == 0

    def wait_until_closed(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.running():
            if time.monotonic() > deadline:
                pytest.fail(f"kindred did not end within {WAIT_SECONDS:g} s:\n{self.screen()}")
            time.sleep(0.05)

    def close(self) -> None:
        self.tmux("kill-server")
        for pid in self.app_pids:  # a program that outlived its window must not linger
            if not ended(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path / "tmux.sock")
    try:
        yield term
    finally:
        term.close()


def names_in(data: Path) -> list[str]:
    if not data.exists():
        return []
    return [person["name"] for person in json.loads(data.read_text()).get("people", {}).values()]


def ended(pid: int) -> bool:
    """Whether the process has exited (a zombie waiting for tmux to reap it has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


def wait_until(condition, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds:g} s")
        time.sleep(0.05)


def holds(data: Path, names: list[str]) -> bool:
    return names_in(data) == names


def start_adding_a_person(terminal: Terminal, data: Path) -> None:
    """Start Kindred on the guide, open the plan and add a person: the Name field is ready."""
    terminal.start("--data", data)
    terminal.wait_for("Planning an intervention")
    terminal.press("F3")
    terminal.wait_for("Add a person")
    terminal.press("a")
    terminal.wait_for("Person:")


def test_adding_a_person_then_quitting_keeps_them_privately_for_next_time(terminal, tmp_path):
    data = tmp_path / "private" / "kindred.json"
    start_adding_a_person(terminal, data)
    terminal.type("Zoe")
    terminal.wait_for("Zoe")
    terminal.press("Escape")
    terminal.wait_for("All changes saved")
    terminal.press("C-q")
    terminal.wait_until_closed()

    assert names_in(data) == ["Zoe"]
    assert stat.S_IMODE(data.stat().st_mode) == 0o600

    exported = subprocess.run(
        [str(KINDRED), "export", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert exported.returncode == 0, exported.stderr
    assert "Zoe" in exported.stdout

    terminal.start("--data", data)
    terminal.wait_for("Planning an intervention")
    assert "Zoe" not in terminal.screen()  # the guide is shown first, not the plan
    terminal.press("F3")
    terminal.wait_for("Zoe")
    terminal.press("C-q")
    terminal.wait_until_closed()
    assert names_in(data) == ["Zoe"]


def type_yara_and_stop(terminal: Terminal, data: Path, stop) -> int:
    """Add a person, type "Yara" in the Name field and stop the app before the autosave;
    returns the app's process id."""
    start_adding_a_person(terminal, data)
    pid = terminal.app_pid()
    terminal.type("Yara")
    terminal.wait_for("Yara")
    if "Yara" in names_in(data):
        pytest.skip("the autosave ran before the app could be stopped: this run proves nothing")
    stop(terminal, pid)
    return pid


def send_sigterm(terminal: Terminal, pid: int) -> None:
    os.kill(pid, signal.SIGTERM)


def send_sighup(terminal: Terminal, pid: int) -> None:
    os.kill(pid, signal.SIGHUP)


def close_the_window(terminal: Terminal, pid: int) -> None:
    terminal.tmux("kill-server")  # the terminal goes away: SIGHUP, then SIGCONT


@pytest.mark.parametrize("stop", [send_sigterm, send_sighup])
def test_a_name_typed_just_before_a_signal_is_saved_and_the_app_ends(terminal, tmp_path, stop):
    data = tmp_path / "kindred.json"
    pid = type_yara_and_stop(terminal, data, stop)
    wait_until(partial(ended, pid), "the app ending")
    assert names_in(data) == ["Yara"]


def test_a_name_typed_just_before_the_window_is_closed_is_saved(terminal, tmp_path):
    data = tmp_path / "kindred.json"
    type_yara_and_stop(terminal, data, close_the_window)
    wait_until(partial(holds, data, ["Yara"]), "saving Yara")


def test_closing_the_window_always_ends_the_app(tmp_path):
    # The hang is a race, so the window is closed up to 8 times: one hang shows the bug.
    for attempt in range(8):
        terminal = Terminal(tmp_path / f"tmux-{attempt}.sock")
        try:
            data = tmp_path / f"attempt-{attempt}" / "kindred.json"
            pid = type_yara_and_stop(terminal, data, close_the_window)
            wait_until(partial(holds, data, ["Yara"]), "saving Yara")
            wait_until(partial(ended, pid), "kindred ending after its window closed", EXIT_SECONDS)
        finally:
            terminal.close()
