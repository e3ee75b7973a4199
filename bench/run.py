"""Kindred's performance figures, each against a floor measured in the same run.

    uv run python bench/run.py            # about five minutes
    uv run python bench/run.py --quick    # about two minutes, fewer repetitions
    uv run python bench/run.py --only keys

Prints a table, then every figure and the raw measurements as one JSON object. All data lives
in a temporary folder that is removed at the end; the user's own plan is never touched.
"""

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import cli_bench
import key_bench
import terminal_bench
from common import (
    BENCH,
    KINDRED,
    big_guide,
    child_env,
    import_plan,
    make_workspace,
    percentile,
    plan_document,
    remove_workspace,
    run_probe,
    run_python,
    summary,
    write_document,
)

GROUPS = ("paint", "bytes", "keys", "cli", "storage", "pilot")
SETTINGS = {
    "default": {
        "paint_runs": 7,
        "bytes_runs": 1,
        "idle_seconds": 4.0,
        "timer_seconds": 8.0,
        "settle_seconds": 2.0,
        "presses": 20,
        "cli_runs": 7,
        "saves": 7,
        "pilot_presses": 10,
        "rehearse_runs": 2,
    },
    "quick": {
        "paint_runs": 3,
        "bytes_runs": 1,
        "idle_seconds": 1.5,
        "timer_seconds": 4.0,
        "settle_seconds": 1.5,
        "presses": 8,
        "cli_runs": 3,
        "saves": 3,
        "pilot_presses": 4,
        "rehearse_runs": 1,
    },
}
FIRST_PAINT_TARGET = 1.3
MEMORY_TARGET = 1.3
TIMER_BYTES_TARGET = 300
# Keys, from the terminal: times the floor app's key that swaps a screen of text.
PAGE_TARGET = 3.0
PANE_TARGET = 4.0
TYPING_TARGET = 3.0
SAVE_ATTEMPT_TARGET = 2.0  # times the same with no attempts stored
CLI_TARGET = 1.5  # times plain Python doing the same reading and writing
SAVE_TARGET_SECONDS = 0.050
LINEAR_GROWTH_TARGET = 12.0  # ten times the attempts: about ten times the cost, not more
ATTEMPTS = 10_000


# Data


class Fixtures:
    """Plan files and guides for the run, made once in the workspace by `kindred import`."""

    def __init__(self, workspace: Path, env: dict):
        self.workspace = workspace
        self.env = env
        self.folder = workspace / "fixtures"
        self.folder.mkdir()
        self.documents = {
            "one": write_document(self.folder, "one.json", plan_document(1)),
            "spread": write_document(self.folder, "spread.json", plan_document(5, ATTEMPTS)),
            "single": write_document(self.folder, "single.json", plan_document(1, ATTEMPTS)),
        }
        self._plans: dict[str, Path] = {}
        self._copies = 0

    def plan(self, name: str) -> Path:
        """A fresh copy of the plan file made from document `name`, for one run to change."""
        if name not in self._plans:
            made = self.folder / f"plan-{name}" / "kindred.json"
            self._plans[name] = import_plan(self.documents[name], made, self.env)
        self._copies += 1
        # A private folder, as Kindred makes it: otherwise Kindred rightly warns first.
        copy = self.workspace / f"run-{self._copies}-{name}" / "kindred.json"
        copy.parent.mkdir(mode=0o700)
        shutil.copy(self._plans[name], copy)
        return copy

    def big_guide(self) -> Path:
        folder = self.folder / "guide-x10"
        return folder if folder.is_dir() else big_guide(folder)


def warm_up(env: dict, fixtures: Fixtures) -> None:
    """Compile every module once (into the workspace) and parse the guide into Kindred's
    cache, so no run pays for what only a first start after installing does."""
    modules = (
        "textual.app",
        "textual.widgets",
        "tui.ui.app",
        "tui.ui.widgets.plan_pane",
        "tui.ui.widgets.rehearse_pane",
        "tui.cli.export_import",
        "tui.cli",
    )
    run_python(["-c", f"import {', '.join(modules)}"], env)
    run_python(
        [
            "-c",
            "from tui.core.guide import default_cache_path, load_guide; "
            "load_guide(cache_path=default_cache_path())",
        ],
        env,
    )
    fixtures.plan("one")


# Measuring


def measure_paint(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    return terminal_bench.first_paint(fixtures.workspace, env, settings["paint_runs"])


def measure_bytes(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    return terminal_bench.bytes_written(
        lambda _: fixtures.plan("one"),
        env,
        settings["bytes_runs"],
        settings["idle_seconds"],
        settings["timer_seconds"],
        settings["settle_seconds"],
    )


def measure_keys(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    plans = {
        "one": fixtures.plan("one"),
        "none": fixtures.plan("one"),
        "many": fixtures.plan("single"),
        "many_typing": fixtures.plan("single"),
    }
    return key_bench.key_response(env, plans, settings["presses"])


def measure_cli(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    return cli_bench.command_line(
        fixtures.workspace, env, fixtures.plan("spread"), settings["cli_runs"]
    )


def measure_storage(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    folder = fixtures.workspace / "storage"
    return run_probe(
        [
            str(BENCH / "storage_probe.py"),
            "--folder",
            str(folder),
            "--saves",
            str(settings["saves"]),
        ],
        env,
    )


def measure_pilot(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    """The second view of keys, inside the app: see pilot_probe.py."""
    probe = str(BENCH / "pilot_probe.py")
    presses = str(settings["pilot_presses"])
    keys = run_probe(
        [
            probe,
            "keys",
            "--content",
            str(fixtures.big_guide()),
            "--data",
            str(fixtures.plan("one")),
            "--presses",
            presses,
        ],
        env,
    )
    floor = run_probe([probe, "floor", "--presses", presses], env)
    rehearse = {"none": [], "many": []}
    for _ in range(settings["rehearse_runs"]):
        for name, document in (("none", "one"), ("many", "single")):
            rehearse[name].append(
                run_probe([probe, "rehearse", "--data", str(fixtures.plan(document))], env)
            )
    return {"keys": {"kindred": keys, "floor": floor}, "rehearse": rehearse}


MEASURES = {
    "paint": measure_paint,
    "bytes": measure_bytes,
    "keys": measure_keys,
    "cli": measure_cli,
    "storage": measure_storage,
    "pilot": measure_pilot,
}


# The table


def row(figure, unit, measured, floor=None, target="", met=None, ratio=None) -> dict:
    """One line of the table; `measured` is a summary, `floor` a number (its median)."""
    if ratio is None and floor and measured["median"] is not None:
        ratio = measured["median"] / floor
    return {
        "figure": figure,
        "unit": unit,
        "median": measured["median"],
        "p95": measured.get("p95"),
        "min": measured["min"],
        "max": measured["max"],
        "runs": measured["runs"],
        "floor": floor,
        "ratio": ratio,
        "target": target,
        "met": met,
    }


def within(value, limit) -> bool | None:
    return None if value is None else value <= limit


def paint_rows(result: dict) -> list[dict]:
    kindred, floor = result["kindred"], result["floor"]
    paint = row(
        "first paint",
        "ms",
        kindred["paint"],
        floor["paint"]["median"],
        f"<= {FIRST_PAINT_TARGET}x floor",
    )
    paint["met"] = within(paint["ratio"], FIRST_PAINT_TARGET)
    memory = row(
        "peak memory (RSS) after first paint",
        "MiB",
        kindred["peak_rss_mib"],
        floor["peak_rss_mib"]["median"],
        f"<= {MEMORY_TARGET}x floor",
    )
    memory["met"] = within(memory["ratio"], MEMORY_TARGET)
    startup = row(
        "bytes written at start-up", "B", kindred["startup_bytes"], floor["startup_bytes"]["median"]
    )
    return [paint, memory, startup]


def bytes_rows(result: dict, paint: dict | None) -> list[dict]:
    rows = []
    floor_idle = result["floor_idle"]["median"]
    for pane in ("guide", "plan", "rehearse"):
        measured = result[pane]
        rows.append(
            row(
                f"idle on {pane}",
                "B/s",
                measured,
                floor_idle,
                "0 B/s",
                met=measured["max"] == 0,
                ratio=None,
            )
        )
    timer = result["timer"]
    rows.append(
        row(
            "while a statement timer runs",
            "B/s",
            timer,
            result["floor_timer"]["median"],
            f"<= {TIMER_BYTES_TARGET} B/s",
            met=within(timer["median"], TIMER_BYTES_TARGET),
        )
    )
    floor_memory = paint["floor"]["peak_rss_mib"]["median"] if paint else None
    memory = row(
        "peak memory after all three panes and a timer",
        "MiB",
        result["peak_rss_mib"],
        floor_memory,
        f"<= {MEMORY_TARGET}x floor",
    )
    memory["met"] = within(memory["ratio"], MEMORY_TARGET)
    rows.append(memory)
    return rows


def with_p95(values: list[float | None]) -> dict:
    measured = summary(values)
    return {**measured, "p95": percentile(measured["values"], 0.95) if measured["runs"] else None}


def key_rows(result: dict) -> list[dict]:
    times, whole = result["times"], result["whole"]
    floor = with_p95(times["floor"])
    none = with_p95(times["stop_none"])
    figures = [
        ("floor app: s swaps a screen of text (Static.update)", "floor", None, None),
        ("reference: Textual's Markdown widget, another section", "markdown", floor, None),
        ("reference, bare Textual: a page turn (OptionList, Static)", "panes_page", floor, None),
        ("reference, bare Textual: switch panes (ContentSwitcher)", "panes_switch", floor, None),
        ("reference, bare Textual: a character typed, words counted", "text_area", floor, None),
        ("guide: turn a page, ] or [", "page", floor, PAGE_TARGET),
        ("guide: move in the contents, which opens the section", "contents", floor, PAGE_TARGET),
        ("switch to the plan, F3", "f3", floor, PANE_TARGET),
        ("switch to Rehearse, F4", "f4", floor, PANE_TARGET),
        ("switch to the guide, F2", "f2", floor, PANE_TARGET),
        (f"type a character in a statement, {ATTEMPTS:,} attempts", "typing", floor, TYPING_TARGET),
        (f"the save when typing stops, {ATTEMPTS:,} attempts", "save_after_typing", None, None),
        ("start the timer, no attempts", "start_none", floor, None),
        (f"start the timer, {ATTEMPTS:,} attempts", "start_many", floor, None),
        ("stop the timer and save, no attempts", "stop_none", floor, None),
        (f"stop the timer and save, {ATTEMPTS:,} attempts", "stop_many", none, SAVE_ATTEMPT_TARGET),
    ]
    rows = []
    for name, key, against, limit in figures:
        measured = with_p95(times[key])
        whole_times = whole.get(key, [])
        went_on = sum(
            1 for short, full in zip(times[key], whole_times, strict=False) if full > short
        )
        if went_on:
            name += (
                f" ({went_on} of {measured['runs']} went on after a pause; to the end:"
                f" {summary(whole_times)['median'] * 1000:.0f} ms)"
            )
        base = against["median"] if against else None
        target = ""
        if limit is not None:
            target = f"<= {limit:g}x " + ("no attempts" if against is none else "floor")
        line = row(f"key: {name}", "ms", measured, base, target)
        if limit is not None:
            line["met"] = within(line["ratio"], limit)
        rows.append(line)
    return rows


def pilot_rows(result: dict) -> list[dict]:
    kindred, floor = result["keys"]["kindred"], result["keys"]["floor"]
    repaint = [press["settled"] for press in floor["repaint"]]
    noop = [press["handled"] for press in floor["noop"]]
    floor_median = summary(repaint)["median"]
    rows = []
    names = {
        "toc_down": f"pilot: next section, down ({kindred['sections']} sections)",
        "open_plan": "pilot: open the plan, F3",
        "start_timer": "pilot: start the timer, space on Rehearse",
    }
    for key, name in names.items():
        settled = [press["settled"] for press in kindred[key]]
        without_frame = sum(1 for press in kindred[key] if not press["frames"])
        if without_frame:
            name += f" ({without_frame} of {len(settled)} changed nothing on screen)"
        rows.append(row(name, "ms", with_p95(settled), floor_median))
    rows.append(row("pilot: floor app, key that repaints one line", "ms", with_p95(repaint)))
    rows.append(row("pilot: floor app, no-op key, until handled", "ms", with_p95(noop)))
    rehearse = result["rehearse"]
    figures = {
        "startup": ("start-up until settled", lambda run: run["startup"]),
        "open": ("open Rehearse (F4)", lambda run: run["open"]["settled"]),
        "save": ("stop the timer and save an attempt", lambda run: run["save"]["settled"]),
    }
    for name, value in figures.values():
        many = summary([value(run) for run in rehearse["many"]])
        none = summary([value(run) for run in rehearse["none"]])
        rows.append(
            row(f"pilot: rehearse, {ATTEMPTS:,} attempts: {name}", "ms", many, none["median"])
        )
    return rows


def cli_rows(result: dict) -> list[dict]:
    rows = []
    floors = {
        "export": ("--format json", "export_floor", "read, decode, encode, write"),
        "import": ("of that export", "import_floor", "the same into a new file, and fsync"),
    }
    for name, (what, floor_key, floor_name) in floors.items():
        floor = result[floor_key]
        rows.append(row(f"python: {floor_name}", "ms", floor, result["pass"]["median"]))
        command = row(
            f"kindred {name} {what}, {ATTEMPTS:,} attempts",
            "ms",
            result[name],
            floor["median"],
            f"<= {CLI_TARGET:g}x python",
        )
        command["met"] = within(command["ratio"], CLI_TARGET)
        rows.append(command)
    rows.append(row("python -c pass", "ms", result["pass"]))
    return rows


def storage_rows(result: dict) -> list[dict]:
    rows, medians, sizes = [], {}, {}
    for size in result["sizes"]:
        count = size["attempts"]
        measured = summary(size["save"])
        medians[count] = measured["median"]
        sizes[count] = size["file_bytes"]
        target = f"<= {SAVE_TARGET_SECONDS * 1000:g} ms" if count == ATTEMPTS else ""
        save = row(
            f"one save, {count:,} attempts stored",
            "ms",
            measured,
            summary(size["floor"])["median"],
            target,
        )
        if count == ATTEMPTS:
            save["met"] = within(measured["median"], SAVE_TARGET_SECONDS)
        rows.append(save)
        rows.append(row(f"plan file size, {count:,} attempts", "B", summary([sizes[count]])))
    history = result["full_history"]
    measured = summary(history["save"])
    full = row(
        f"one save with a full history, {history['changes']:,} changes and "
        f"{history['attempts']:,} attempts stored",
        "ms",
        measured,
        summary(history["floor"])["median"],
        f"<= {SAVE_TARGET_SECONDS * 1000:g} ms",
    )
    full["met"] = within(measured["median"], SAVE_TARGET_SECONDS)
    rows.append(full)
    rows.append(row("plan file size, full history", "B", summary([history["file_bytes"]])))
    for low, high in ((100, 1_000), (1_000, 10_000)):
        for what, values in (("save time", medians), ("file size", sizes)):
            growth = values[high] / values[low]
            rows.append(
                row(
                    f"{what} growth {high:,} / {low:,} attempts",
                    "x",
                    summary([growth]),
                    target=f"<= {LINEAR_GROWTH_TARGET:g}",
                    met=within(growth, LINEAR_GROWTH_TARGET),
                )
            )
    return rows


def build_rows(results: dict) -> list[dict]:
    rows = []
    if "paint" in results:
        rows += paint_rows(results["paint"])
    if "bytes" in results:
        rows += bytes_rows(results["bytes"], results.get("paint"))
    if "keys" in results:
        rows += key_rows(results["keys"])
    if "cli" in results:
        rows += cli_rows(results["cli"])
    if "storage" in results:
        rows += storage_rows(results["storage"])
    if "pilot" in results:
        rows += pilot_rows(results["pilot"])
    return rows


def shown(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value * 1000:.1f}"
    if unit in ("B", "B/s"):
        return f"{value:,.0f}"
    return f"{value:.2f}"


def print_table(rows: list[dict]) -> None:
    header = ("figure", "unit", "median", "p95", "min", "max", "floor", "ratio", "target", "met?")
    lines = [header]
    for item in rows:
        unit = item["unit"]
        ratio = f"{item['ratio']:.2f}x" if item["ratio"] is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[item["met"]]
        lines.append(
            (
                item["figure"],
                unit,
                shown(item["median"], unit),
                shown(item["p95"], unit),
                shown(item["min"], unit),
                shown(item["max"], unit),
                shown(item["floor"], unit),
                ratio,
                item["target"],
                met,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print(" | ".join(cells))
        if number == 0:
            print("-+-".join("-" * width for width in widths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 2 min)")
    parser.add_argument(
        "--only",
        default=",".join(GROUPS),
        help=f"comma-separated groups to run, from: {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="also write the JSON to FILE (it is always printed)",
    )
    args = parser.parse_args()
    groups = [group.strip() for group in args.only.split(",") if group.strip()]
    unknown = set(groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    settings = SETTINGS["quick" if args.quick else "default"]
    if not os.path.exists(KINDRED):
        parser.error(f"no kindred command at {KINDRED}: run this with `uv run python bench/run.py`")

    started = time.perf_counter()
    workspace = make_workspace()
    env = child_env(workspace)
    results, seconds, errors = {}, {}, {}
    try:
        fixtures = Fixtures(workspace, env)
        warm_up(env, fixtures)
        for group in groups:
            print(f"measuring {group} ...", file=sys.stderr, flush=True)
            group_started = time.perf_counter()
            try:
                results[group] = MEASURES[group](fixtures, env, settings)
            except Exception as error:  # one broken group must not lose the others
                errors[group] = f"{type(error).__name__}: {error}"
                print(f"  {group} failed: {errors[group]}", file=sys.stderr, flush=True)
            seconds[group] = round(time.perf_counter() - group_started, 1)
    finally:
        remove_workspace(workspace)
    rows = build_rows(results)
    print_table(rows)
    for group, message in errors.items():
        print(f"{group}: not measured ({message})")
    report = {
        "settings": {**settings, "mode": "quick" if args.quick else "default"},
        "seconds": {**seconds, "total": round(time.perf_counter() - started, 1)},
        "targets_met": all(item["met"] is not False for item in rows) and not errors,
        "errors": errors,
        "figures": rows,
        "raw": results,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
