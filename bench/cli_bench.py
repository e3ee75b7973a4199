"""`kindred export` and `kindred import` with 10,000 attempts, against plain Python doing the
same reading and writing."""

import subprocess
import time
from pathlib import Path

from common import KINDRED, PYTHON, ROOT, summary


def _timed(argv: list[str], env: dict, output: Path) -> float:
    with open(output, "wb") as stdout:
        started = time.perf_counter()
        done = subprocess.run(
            argv,
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv[1:]} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


# The least an export of the plan could cost with the standard library: read the plan file,
# decode it, encode it, write it out. No Kindred code at all.
EXPORT_FLOOR = (
    "import json, sys; sys.stdout.write(json.dumps(json.loads(open(sys.argv[1], 'rb').read())))"
)
# The same for an import: read the export, decode, encode, write a new file synced to disk.
IMPORT_FLOOR = (
    "import json, os, sys; "
    "data = json.dumps(json.loads(open(sys.argv[1], 'rb').read())).encode(); "
    "fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); "
    "os.write(fd, data); os.fsync(fd); os.close(fd)"
)


def command_line(workspace: Path, env: dict, plan: Path, repeat: int) -> dict:
    """Export the plan file `plan` as JSON; import that export into a new plan file.

    Each command and its floor take turns, so a busy moment on the machine falls on all.
    """
    runs: dict[str, list[float]] = {
        name: [] for name in ("pass", "export_floor", "export", "import_floor", "import")
    }
    folder = workspace / "cli"
    folder.mkdir(parents=True, exist_ok=True)
    exported = folder / "export.json"
    _timed([KINDRED, "export", "--format", "json", "--data", str(plan)], env, exported)
    if exported.stat().st_size < 100_000:
        raise RuntimeError("the export is too small: the 10,000 attempts are missing")
    for number in range(repeat):
        runs["pass"].append(_timed([PYTHON, "-c", "pass"], env, folder / "pass.out"))
        runs["export_floor"].append(
            _timed([PYTHON, "-c", EXPORT_FLOOR, str(plan)], env, folder / "floor.json")
        )
        runs["export"].append(
            _timed(
                [KINDRED, "export", "--format", "json", "--data", str(plan)],
                env,
                folder / "again.json",
            )
        )
        floor_target = folder / f"floor-{number}.json"
        runs["import_floor"].append(
            _timed(
                [PYTHON, "-c", IMPORT_FLOOR, str(exported), str(floor_target)],
                env,
                folder / "floor.out",
            )
        )
        target = folder / f"imported-{number}" / "kindred.json"
        runs["import"].append(
            _timed(
                [KINDRED, "import", str(exported), "--data", str(target)],
                env,
                folder / "import.out",
            )
        )
    result = {name: summary(times) for name, times in runs.items()}
    result["export_bytes"] = exported.stat().st_size
    return result
