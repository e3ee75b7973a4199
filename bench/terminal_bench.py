"""Kindred and the floor app in a real pseudo-terminal: first paint, peak memory, bytes written."""

from pathlib import Path

from common import BENCH, KINDRED, PYTHON, ROOT, first_section_phrase, summary
from floor_app import READY_TEXT
from term import Terminal

PAINT_TIMEOUT = 30.0


def kindred_argv(data: Path) -> list[str]:
    return [KINDRED, "--data", str(data)]


def floor_argv() -> list[str]:
    return [PYTHON, str(BENCH / "floor_app.py")]


def _paint_once(argv: list[str], text: str, env: dict, settle: float) -> dict:
    """Spawn, time the first paint, let it settle, read peak memory, quit and reap."""
    with Terminal(argv, env, str(ROOT)) as terminal:
        painted = terminal.wait_for_text(text, PAINT_TIMEOUT)
        if painted is None:
            raise RuntimeError(f"{argv} never showed {text!r}: {terminal.output()[-500:]!r}")
        terminal.wait_quiet(quiet=0.3, timeout=settle)
        startup_bytes = len(terminal.output())
        peak = terminal.peak_rss_kib()
        quit_by_itself = terminal.quit()
    return {
        "paint": painted,
        "peak_rss_mib": peak / 1024 if peak else None,
        "startup_bytes": startup_bytes,
        "quit": quit_by_itself,
    }


def first_paint(workspace: Path, env: dict, repeat: int, settle: float = 3.0) -> dict:
    """First paint, peak memory and bytes written until quiet, kindred against the floor app.

    Runs alternate (floor, kindred, floor, ...) so that a busy moment on the machine falls
    on both alike. Each kindred run gets its own empty plan file.
    """
    phrase = first_section_phrase()
    runs = {"kindred": [], "floor": []}
    for number in range(repeat):
        runs["floor"].append(_paint_once(floor_argv(), READY_TEXT, env, settle))
        data = workspace / f"paint-{number}" / "kindred.json"
        runs["kindred"].append(_paint_once(kindred_argv(data), phrase, env, settle))
    result = {"phrase": phrase}
    for name, measured in runs.items():
        result[name] = {
            key: summary([run[key] for run in measured])
            for key in ("paint", "peak_rss_mib", "startup_bytes")
        }
        result[name]["quit_by_itself"] = all(run["quit"] for run in measured)
    return result


def _rate(terminal: Terminal, seconds: float) -> float:
    return terminal.read_for(seconds) / seconds


def kindred_bytes_once(data: Path, env: dict, idle: float, timer: float, settle: float) -> dict:
    """Bytes per second while idle on each pane, then while a statement timer runs."""
    phrase = first_section_phrase()
    rates = {}
    with Terminal(kindred_argv(data), env, str(ROOT)) as terminal:
        if terminal.wait_for_text(phrase, PAINT_TIMEOUT) is None:
            raise RuntimeError("kindred never painted the guide")
        terminal.read_for(settle)
        rates["guide"] = _rate(terminal, idle)
        for key, pane in (("f3", "plan"), ("f4", "rehearse")):
            terminal.press(key)
            terminal.read_for(settle)
            rates[pane] = _rate(terminal, idle)
        terminal.press("space")
        terminal.read_for(1.0)
        rates["timer"] = _rate(terminal, timer)
        peak = terminal.peak_rss_kib()
        mark = terminal.mark()
        terminal.press("space")  # stops the timer; so short an attempt asks
        terminal.press("n")  # keeps and saves the attempt, which Kindred says
        saved = terminal.wait_for_text("Saved", 5.0, since=mark)
        terminal.quit()
    if saved is None:
        raise RuntimeError("the statement timer did not run: no attempt was saved")
    rates["peak_rss_mib"] = peak / 1024 if peak else None
    return rates


def floor_bytes_once(env: dict, idle: float, timer: float, settle: float) -> dict:
    rates = {}
    with Terminal(floor_argv(), env, str(ROOT)) as terminal:
        if terminal.wait_for_text(READY_TEXT, PAINT_TIMEOUT) is None:
            raise RuntimeError("the floor app never painted")
        terminal.read_for(settle)
        rates["idle"] = _rate(terminal, idle)
        terminal.press("t")
        terminal.read_for(1.0)
        rates["timer"] = _rate(terminal, timer)
        terminal.quit()
    return rates


def bytes_written(
    data_for_run, env: dict, repeat: int, idle: float, timer: float, settle: float
) -> dict:
    """`data_for_run(n)` gives a plan file holding one person, for run n."""
    kindred, floor = [], []
    for number in range(repeat):
        floor.append(floor_bytes_once(env, idle, timer, settle))
        kindred.append(kindred_bytes_once(data_for_run(number), env, idle, timer, settle))
    result = {"idle_seconds": idle, "timer_seconds": timer}
    for key in ("guide", "plan", "rehearse", "timer", "peak_rss_mib"):
        result[key] = summary([run[key] for run in kindred])
    result["floor_idle"] = summary([run["idle"] for run in floor])
    result["floor_timer"] = summary([run["timer"] for run in floor])
    return result
