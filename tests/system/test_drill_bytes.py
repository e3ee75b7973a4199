"""The real app on an 80x24 pseudo-terminal: while the objection drill's timer runs, it writes
no more bytes a second than while a statement's timer runs."""

import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path

from tui.core.store import Store

PROJECT = Path(__file__).resolve().parents[2]
F4, DOWN, SPACE, CTRL_Q = b"\x1bOS", b"\x1b[B", b" ", b"\x11"
# The clock changes once a second from the press of space: measured from 1.5 s to 7.5 s
# after it, both timers redraw exactly six times, whatever the jitter of a busy machine.
FROM_SECONDS, TO_SECONDS = 1.5, 7.5
NOTICE_GONE_SECONDS = 7.0  # "Saved" notices leave after five seconds


class Terminal:
    def __init__(self, data: Path, home: Path) -> None:
        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEXTUAL", "PYTEST")) and key not in ("NO_COLOR",)
        }
        env.update(
            TERM="xterm-256color",
            HOME=str(home),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            LANG="C.UTF-8",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "--data", str(data)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=PROJECT,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read_for(self, seconds: float) -> int:
        """Read what the app writes for `seconds`; how many bytes that was."""
        before = len(self.output)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                try:
                    self.output.extend(os.read(self.master, 65536))
                except OSError:
                    break
        return len(self.output) - before

    def press(self, key: bytes, then_read: float = 1.0) -> None:
        os.write(self.master, key)
        self.read_for(then_read)

    def timer_bytes_per_second(self) -> float:
        """Start a timer with space and measure its output, away from its start."""
        os.write(self.master, SPACE)
        self.read_for(FROM_SECONDS)
        return self.read_for(TO_SECONDS - FROM_SECONDS) / (TO_SECONDS - FROM_SECONDS)

    def close(self) -> None:
        os.write(self.master, CTRL_Q)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        os.close(self.master)


def test_the_drill_timer_writes_no_more_than_the_statement_timer(tmp_path):
    data = tmp_path / "plan" / "kindred.json"
    data.parent.mkdir(mode=0o700)
    store = Store(data)
    store.insert("people", {"id": "anna", "name": "Anna", "order": 1, "statement": "I love you."})
    store.insert("objections", {"id": "job", "objection": "I can't lose my job.", "answer": "-"})
    store.upsert("plan", "plan", {"title": "", "country": "US"})  # nothing asks which
    terminal = Terminal(data, tmp_path)
    try:
        terminal.read_for(6.0)  # the guide, painted
        terminal.press(F4, then_read=2.0)
        statement = terminal.timer_bytes_per_second()
        terminal.press(SPACE)  # stopped; so short an attempt asks
        terminal.press(b"n", then_read=NOTICE_GONE_SECONDS)  # kept and saved
        terminal.press(DOWN)  # the whole meeting
        terminal.press(DOWN, then_read=2.0)  # the objections
        assert b"loved one says" in terminal.output
        drill = terminal.timer_bytes_per_second()
    finally:
        terminal.close()
    assert statement > 0, "the statement timer wrote nothing: it did not run"
    assert drill <= statement, (drill, statement)
