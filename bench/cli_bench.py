"""`kindred export` and `kindred import` with 10,000 attempts, against `python -c pass`."""

import subprocess
import time
from pathlib import Path

from common import KINDRED, PYTHON, ROOT, summary


def _timed(argv: list[str], env: dict, output: Path) -> float:
    with open(output, "wb") as stdout:
        started = time.perf_counter()
        done = subprocess.run(
            argv, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=120,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv[1:]} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


# The least any export of this plan could cost with the standard library: read the plan
# file, decode it, encode it, write it out. No Kindred code at all.
BARE_ROUND_TRIP = (
    "import json, sys; sys.stdout.write(json.dumps(json.loads(open(sys.argv[1], 'rb').read())))"
)


def command_line(workspace: Path, env: dict, plan: Path, document: Path, repeat: int) -> dict:
    """Export the plan file `plan`; import `document` into a new plan file each time.

    The commands take turns, so a busy moment on the machine falls on all of them.
    """
    floor, export, load, bare = [], [], [], []
    folder = workspace / "cli"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(repeat):
        floor.append(_timed([PYTHON, "-c", "pass"], env, folder / "pass.out"))
        bare.append(_timed([PYTHON, "-c", BARE_ROUND_TRIP, str(plan)], env, folder / "bare.json"))
        export.append(
            _timed(
                [KINDRED, "export", "--format", "json", "--data", str(plan)],
                env,
                folder / "export.json",
            )
        )
        target = folder / f"imported-{number}" / "kindred.json"
        load.append(
            _timed(
                [KINDRED, "import", str(document), "--data", str(target)],
                env,
                folder / "import.out",
            )
        )
    exported = (folder / "export.json").stat().st_size
    if exported < 100_000:
        raise RuntimeError(f"the export is only {exported} bytes: the 10,000 attempts are missing")
    return {
        "floor": summary(floor),
        "export": summary(export),
        "import": summary(load),
        "bare_json_round_trip": summary(bare),
        "export_bytes": exported,
    }
