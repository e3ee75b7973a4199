"""Run a program in a pseudo-terminal, as a person's terminal would, and watch what it writes.

No external tool: the standard library's pty, termios and select are enough. Every wait has a
deadline, and the program is always killed and reaped in the end.
"""

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time

# Control sequences: CSI (colours, cursor moves, modes), OSC (titles) and two-byte escapes.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")

KEYS = {
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "enter": b"\r",
    "tab": b"\t",
    "space": b" ",
    "ctrl+q": b"\x11",
}


def visible_text(raw: bytes) -> str:
    """The text in terminal output with the control sequences taken out."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


# Every open terminal by its master's file descriptor. A wait on any one of them reads them all,
# so that what each program writes is timed as it arrives, whichever one is being watched.
_OPEN: dict[int, "Terminal"] = {}


def _become_terminal_owner() -> None:
    """In the child, before exec: make the pseudo-terminal its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """One program in a pseudo-terminal of a fixed size; keeps every byte it writes, timed."""

    def __init__(self, argv: list[str], env: dict, cwd: str, columns: int = 80, lines: int = 24):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []  # (time since spawn, bytes)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_become_terminal_owner,  # safe here: the benchmark starts no threads
        )
        os.close(slave)
        _OPEN[master] = self
        self.rusage = None
        self.exit_status = None
        self.key_written_at = 0.0  # when respond() last wrote a key, in seconds since spawn

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def read_for(self, seconds: float) -> int:
        """Read output for this long; returns the number of bytes read."""
        deadline = time.perf_counter() + seconds
        count = 0
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return count
            count += self._read_some(left)

    def _read_some(self, timeout: float) -> int:
        """Wait at most `timeout` for output from any open terminal and read what came;
        the number of bytes this one read."""
        if self.master not in _OPEN:  # the program has gone and the terminal is closed
            time.sleep(min(max(timeout, 0), 0.05))
            return 0
        ready, _, _ = select.select(list(_OPEN), [], [], max(timeout, 0))
        count = 0
        for fd in ready:
            terminal = _OPEN[fd]
            read = terminal._take()
            if terminal is self:
                count = read
        return count

    def _take(self) -> int:
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:  # the program has gone: nothing more will come
            del _OPEN[self.master]
            return 0
        self.chunks.append((self.elapsed(), data))
        return len(data)

    def output(self) -> bytes:
        return b"".join(data for _, data in self.chunks)

    def mark(self) -> int:
        """A place in the output, to look for text written after it."""
        return len(self.chunks)

    def wait_for_text(self, text: str, timeout: float, since: int = 0) -> float | None:
        """Seconds from spawn until text was written (escapes removed), or None at timeout.

        Only output after the mark `since` counts."""
        deadline = time.perf_counter() + timeout
        seen = b""
        checked = since
        while True:
            for _, data in self.chunks[checked:]:
                seen += data
            checked = len(self.chunks)
            if text in visible_text(seen):
                return self.chunks[-1][0]
            left = deadline - time.perf_counter()
            if left <= 0 or (self.process.poll() is not None and not self._read_some(0.05)):
                return None
            self._read_some(left)

    def wait_quiet(self, quiet: float, timeout: float) -> None:
        """Read until nothing has been written for `quiet` seconds (or timeout passes),
        counting the time already quiet before this call."""
        deadline = time.perf_counter() + timeout
        while self._read_some(0):  # what was written while nobody was reading
            pass
        while True:
            quiet_since = self.chunks[-1][0] if self.chunks else 0.0
            left = min(quiet - (self.elapsed() - quiet_since), deadline - time.perf_counter())
            if left <= 0:
                return
            self._read_some(left)

    def press(self, key: str) -> None:
        os.write(self.master, KEYS.get(key, key.encode()))

    def respond(self, key: str, quiet: float, timeout: float) -> float | None:
        """Press a key; seconds from writing it until the last byte of the redraw it caused,
        the terminal then quiet for `quiet` seconds. None if nothing was written by the
        timeout. The key is written once the terminal has been quiet that long."""
        self.wait_quiet(quiet, timeout)
        mark = self.mark()
        self.key_written_at = sent = self.elapsed()
        self.press(key)
        if not self.wait_for_output(timeout, since=mark):
            return None
        self.wait_quiet(quiet, timeout)
        return self.chunks[-1][0] - sent

    def wait_for_output(self, timeout: float, since: int) -> bool:
        """Read until something is written after the mark `since`; False at timeout."""
        deadline = time.perf_counter() + timeout
        while len(self.chunks) == since:
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            self._read_some(left)
        return True

    def peak_rss_kib(self) -> int | None:
        """The program's peak resident memory so far (VmHWM), in KiB."""
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def quit(self, timeout: float = 10.0) -> bool:
        """Send ctrl+q and reap the program; kill it if it has not gone by the timeout.

        Returns True when the program quit by itself."""
        try:
            self.press("ctrl+q")
        except OSError:
            pass
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self._read_some(0.05)
            if self._reap(os.WNOHANG):
                return True
        self.kill()
        return False

    def _reap(self, options: int) -> bool:
        try:
            pid, status, rusage = os.wait4(self.process.pid, options)
        except ChildProcessError:
            return True
        if pid == 0:
            return False
        self.exit_status = os.waitstatus_to_exitcode(status)
        self.process.returncode = self.exit_status
        self.rusage = rusage
        return True

    def kill(self) -> None:
        if self.exit_status is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap(0)
        self.close()

    def close(self) -> None:
        if self.master >= 0:
            _OPEN.pop(self.master, None)
            os.close(self.master)
            self.master = -1

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc_info) -> None:
        self.kill()
