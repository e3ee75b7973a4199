"""Kindred's performance figures, each against a floor measured in the same run.

    uv run python bench/run.py            # about 3-4 minutes
    uv run python bench/run.py --quick    # about a minute, fewer repetitions
    uv run python bench/run.py --only paint,cli

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

GROUPS = ("paint", "bytes", "keys", "cli", "storage", "rehearse")
SETTINGS = {
    "default": {
        "paint_runs": 7, "bytes_runs": 2, "idle_seconds": 5.0, "timer_seconds": 10.0,
        "settle_seconds": 2.0, "presses": 30, "cli_runs": 7, "saves": 7, "rehearse_runs": 5,
    },
    "quick": {
        "paint_runs": 3, "bytes_runs": 1, "idle_seconds": 1.5, "timer_seconds": 4.0,
        "settle_seconds": 1.5, "presses": 8, "cli_runs": 3, "saves": 3, "rehearse_runs": 1,
    },
}
FIRST_PAINT_TARGET = 1.3
MEMORY_TARGET = 1.3
TIMER_BYTES_TARGET = 300
CLI_TARGET = 4.0
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
    modules = ("textual.app", "textual.widgets", "tui.ui.app", "tui.ui.widgets.plan_pane",
               "tui.ui.widgets.rehearse_pane", "tui.cli.export_import", "tui.cli")
    run_python(["-c", f"import {', '.join(modules)}"], env)
    run_python(["-c", "from tui.core.guide import default_cache_path, load_guide; "
                      "load_guide(cache_path=default_cache_path())"], env)
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
    presses = str(settings["presses"])
    probe = str(BENCH / "pilot_probe.py")
    kindred = run_probe(
        [probe, "keys", "--content", str(fixtures.big_guide()), "--data",
         str(fixtures.plan("one")), "--presses", presses],
        env,
    )
    floor = run_probe([probe, "floor", "--presses", presses], env)
    return {"kindred": kindred, "floor": floor}


def measure_cli(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    return cli_bench.command_line(
        fixtures.workspace, env, fixtures.plan("spread"), fixtures.documents["spread"],
        settings["cli_runs"],
    )


def measure_storage(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    folder = fixtures.workspace / "storage"
    return run_probe(
        [str(BENCH / "storage_probe.py"), "--folder", str(folder), "--saves",
         str(settings["saves"])],
        env,
    )


def measure_rehearse(fixtures: Fixtures, env: dict, settings: dict) -> dict:
    probe = str(BENCH / "pilot_probe.py")
    runs = {"none": [], "many": []}
    for _ in range(settings["rehearse_runs"]):
        for name, document in (("none", "one"), ("many", "single")):
            runs[name].append(
                run_probe([probe, "rehearse", "--data", str(fixtures.plan(document))], env)
            )
    return runs


MEASURES = {
    "paint": measure_paint,
    "bytes": measure_bytes,
    "keys": measure_keys,
    "cli": measure_cli,
    "storage": measure_storage,
    "rehearse": measure_rehearse,
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
    paint = row("first paint", "ms", kindred["paint"], floor["paint"]["median"],
                f"<= {FIRST_PAINT_TARGET}x floor")
    paint["met"] = within(paint["ratio"], FIRST_PAINT_TARGET)
    memory = row("peak memory (RSS) after first paint", "MiB", kindred["peak_rss_mib"],
                 floor["peak_rss_mib"]["median"], f"<= {MEMORY_TARGET}x floor")
    memory["met"] = within(memory["ratio"], MEMORY_TARGET)
    startup = row("bytes written at start-up", "B", kindred["startup_bytes"],
                  floor["startup_bytes"]["median"])
    return [paint, memory, startup]


def bytes_rows(result: dict, paint: dict | None) -> list[dict]:
    rows = []
    floor_idle = result["floor_idle"]["median"]
    for pane in ("guide", "plan", "rehearse"):
        measured = result[pane]
        rows.append(row(f"idle on {pane}", "B/s", measured, floor_idle, "0 B/s",
                        met=measured["max"] == 0, ratio=None))
    timer = result["timer"]
    rows.append(row("while a statement timer runs", "B/s", timer,
                    result["floor_timer"]["median"], f"<= {TIMER_BYTES_TARGET} B/s",
                    met=within(timer["median"], TIMER_BYTES_TARGET)))
    floor_memory = paint["floor"]["peak_rss_mib"]["median"] if paint else None
    memory = row("peak memory after all three panes and a timer", "MiB",
                 result["peak_rss_mib"], floor_memory, f"<= {MEMORY_TARGET}x floor")
    memory["met"] = within(memory["ratio"], MEMORY_TARGET)
    rows.append(memory)
    return rows


def key_rows(result: dict) -> list[dict]:
    kindred, floor = result["kindred"], result["floor"]
    repaint = [press["settled"] for press in floor["repaint"]]
    noop = [press["handled"] for press in floor["noop"]]
    floor_median = summary(repaint)["median"]
    rows = []
    names = {
        "toc_down": f"key: next section, down ({kindred['sections']} sections)",
        "open_plan": "key: open the plan, F3",
        "start_timer": "key: start the timer, space on Rehearse",
    }
    for key, name in names.items():
        settled = [press["settled"] for press in kindred[key]]
        measured = summary(settled)
        without_frame = sum(1 for press in kindred[key] if not press["frames"])
        if without_frame:
            name += f" ({without_frame} of {len(settled)} changed nothing on screen)"
        rows.append(row(f"{name}, median", "ms", measured, floor_median))
        p95 = percentile(settled, 0.95) if settled else None
        rows.append(row(f"{name}, p95", "ms", {**measured, "median": p95}, floor_median,
                        ratio=p95 / floor_median if p95 and floor_median else None))
    rows.append(row("floor app: key that repaints one line", "ms", summary(repaint)))
    rows.append(row("floor app: no-op key, until handled", "ms", summary(noop)))
    rows.append(row("floor app: key that repaints, until handled", "ms",
                    summary([press["handled"] for press in floor["repaint"]])))
    return rows


def cli_rows(result: dict) -> list[dict]:
    floor = result["floor"]["median"]
    rows = []
    for name in ("export", "import"):
        command = row(f"kindred {name}, {ATTEMPTS:,} attempts", "ms", result[name], floor,
                      f"<= {CLI_TARGET}x python -c pass")
        command["met"] = within(command["ratio"], CLI_TARGET)
        rows.append(command)
    rows.append(row("python: read, decode, encode, write the same plan", "ms",
                    result["bare_json_round_trip"], floor))
    return rows


def storage_rows(result: dict) -> list[dict]:
    rows, medians, sizes = [], {}, {}
    for size in result["sizes"]:
        count = size["attempts"]
        measured = summary(size["save"])
        medians[count] = measured["median"]
        sizes[count] = size["file_bytes"]
        target = f"<= {SAVE_TARGET_SECONDS * 1000:g} ms" if count == ATTEMPTS else ""
        save = row(f"one save, {count:,} attempts stored", "ms", measured,
                   summary(size["floor"])["median"], target)
        if count == ATTEMPTS:
            save["met"] = within(measured["median"], SAVE_TARGET_SECONDS)
        rows.append(save)
        rows.append(row(f"plan file size, {count:,} attempts", "B", summary([sizes[count]])))
    for low, high in ((100, 1_000), (1_000, 10_000)):
        for what, values in (("save time", medians), ("file size", sizes)):
            growth = values[high] / values[low]
            rows.append(row(f"{what} growth {high:,} / {low:,} attempts", "x",
                            summary([growth]), target=f"<= {LINEAR_GROWTH_TARGET:g}",
                            met=within(growth, LINEAR_GROWTH_TARGET)))
    return rows


def rehearse_rows(result: dict) -> list[dict]:
    rows = []
    figures = {
        "startup": ("start-up until settled", lambda run: run["startup"]),
        "open": ("open Rehearse (F4)", lambda run: run["open"]["settled"]),
        "save": ("stop the timer and save an attempt", lambda run: run["save"]["settled"]),
    }
    for name, value in figures.values():
        many = summary([value(run) for run in result["many"]])
        none = summary([value(run) for run in result["none"]])
        rows.append(row(f"rehearse, {ATTEMPTS:,} attempts: {name}", "ms", many,
                        none["median"]))
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
    if "rehearse" in results:
        rows += rehearse_rows(results["rehearse"])
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
    header = ("figure", "unit", "median", "min", "max", "floor", "ratio", "target", "met?")
    lines = [header]
    for item in rows:
        unit = item["unit"]
        ratio = f"{item['ratio']:.2f}x" if item["ratio"] is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[item["met"]]
        lines.append((
            item["figure"], unit, shown(item["median"], unit), shown(item["min"], unit),
            shown(item["max"], unit), shown(item["floor"], unit), ratio, item["target"], met,
        ))
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
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 1 min)")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to run, from: {', '.join(GROUPS)}")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the JSON to FILE (it is always printed)")
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
