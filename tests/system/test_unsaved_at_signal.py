"""The real `kindred` in tmux is stopped by a signal while its edit cannot be saved (another
program holds the plan): the edit goes to a private file beside the plan, and it ends."""

import os
import signal
import stat
from functools import partial

import pytest
from plan_files import another_program_holding_the_lock
from test_e2e_tmux import TMUX, Terminal, ended, names_in, start_adding_a_person, wait_until

pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end tests drive kindred inside tmux"
)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path / "tmux.sock")
    try:
        yield term
    finally:
        term.close()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_the_plan_is_held_elsewhere_keeps_the_edit_privately(
    terminal, tmp_path, signal_number
):
    data = tmp_path / "kindred.json"
    start_adding_a_person(terminal, data)
    terminal.wait_for("Added. Saved.")
    pid = terminal.app_pid()
    with another_program_holding_the_lock(data):
        terminal.type("Yara")
        terminal.wait_for("Waiting for another save")
        os.kill(pid, signal_number)
        wait_until(partial(ended, pid), "the app ending")
    assert names_in(data) == [""]
    (copy,) = tmp_path.glob("kindred.json.unsaved-*.txt")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert "People (Yara), Name:\nYara" in copy.read_text(encoding="utf-8")
