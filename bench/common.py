"""What every benchmark shares: where things are, how children are started, test data, stats."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CONTENT = ROOT / "content"
PYTHON = sys.executable
# The `kindred` command as installed in this environment (uv run installs it), which is what
# people run; it imports the code measured, as PYTHONPATH points at it.
KINDRED = str(Path(PYTHON).with_name("kindred"))
ATTEMPT = {"started_at": "2026-11-01T10:00:00+00:00", "seconds": 95.5}


def make_workspace() -> Path:
    """A fresh temporary folder for this run's plans, guides and bytecode."""
    return Path(tempfile.mkdtemp(prefix="kindred-bench-"))


def remove_workspace(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def child_env(workspace: Path, **extra: str) -> dict:
    """The environment for every program the benchmark starts.

    The code measured is this checkout's (PYTHONPATH), bytecode is cached in the workspace
    (as an installed copy would have it, without writing into the checkout), and the data,
    config and cache folders point into the workspace, never at the user's real plan.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONPYCACHEPREFIX=str(workspace / "bytecode"),
        KINDRED_DATA=str(workspace / "never-used" / "kindred.json"),
        XDG_DATA_HOME=str(workspace / "xdg-data"),
        XDG_CONFIG_HOME=str(workspace / "xdg-config"),
        XDG_CACHE_HOME=str(workspace / "xdg-cache"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
    )
    env.update(extra)
    return env


def run_python(args: list[str], env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python ARGS` from the repository root; raise with its error output if it fails."""
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done


def run_probe(args: list[str], env: dict, timeout: float = 300) -> dict:
    """Run one of the bench's probe scripts in its own process; it prints one JSON object."""
    done = run_python(args, env, timeout)
    return json.loads(done.stdout)


# Test data


def person(number: int, attempts: int = 0) -> dict:
    return {
        "name": f"Person {number}",
        "relationship": "",
        "role": "member",
        "statement": "Hello.",
        "bottom_line": "",
        "order": number,
        "target_seconds": 120,
        "attempts": [dict(ATTEMPT) for _ in range(attempts)],
    }


def plan_document(people: int = 1, attempts: int = 0) -> dict:
    """An interchange document with `attempts` rehearsals spread evenly over `people`."""
    share, extra = divmod(attempts, people)
    return {
        "format": "kindred-plan",
        "version": 1,
        "plan": {
            "title": "",
            "country": "US",  # else Kindred asks for one first, over the pane being timed
            "people": [person(n, share + (1 if n <= extra else 0)) for n in range(1, people + 1)],
        },
    }


def write_document(folder: Path, name: str, document: dict) -> Path:
    """An interchange document for `kindred import`: plan files are made only by Kindred."""
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def import_plan(document_file: Path, data: Path, env: dict) -> Path:
    """Make a plan file with `kindred import`."""
    run_python(["-m", "tui", "import", str(document_file), "--data", str(data)], env)
    return data


def first_section_phrase(content: Path = CONTENT, limit: int = 24) -> str:
    """A phrase only the reader shows: the first words of the first section's first paragraph."""
    sections = sorted(content.glob("*.md"), key=lambda path: _front_matter(path)["order"])
    body = sections[0].read_text(encoding="utf-8").split("---", 2)[2]
    paragraph = next(part for part in body.strip().split("\n\n") if not part.startswith("#"))
    phrase = ""
    for word in paragraph.split():
        if len(phrase) + len(word) + 1 > limit:
            break
        phrase = f"{phrase} {word}".strip()
    return phrase


def _front_matter(path: Path) -> dict:
    header = path.read_text(encoding="utf-8").split("---", 2)[1]
    meta = dict(line.split(":", 1) for line in header.strip().splitlines() if ":" in line)
    meta = {key.strip(): value.strip() for key, value in meta.items()}
    meta["order"] = int(meta["order"])
    return meta


def big_guide(folder: Path, copies: int = 10) -> Path:
    """The guide at `copies` times its size: each section, then copies with new ids and orders."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(CONTENT.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        shutil.copy(path, folder / path.name)
        order = _front_matter(path)["order"]
        for copy in range(1, copies):
            changed = re.sub(r"(?m)^id:\s*(.+)$", rf"id: \1-copy{copy}", text, count=1)
            changed = re.sub(r"(?m)^order:.*$", f"order: {copy * 1000 + order}", changed, count=1)
            changed = re.sub(r"(?m)^title:\s*(.+)$", rf"title: \1 ({copy + 1})", changed, count=1)
            (folder / f"{path.stem}-copy{copy}.md").write_text(changed, encoding="utf-8")
    return folder


# Statistics


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> dict:
    values = [value for value in values if value is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "runs": 0, "values": []}
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
        "values": values,
    }
